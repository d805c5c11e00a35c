import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput, ChannelKey } from '../../../contract/index.js';
import { channelQuery, invalidateChannels, request } from '../client/channel-query.js';

export const referenceQueries = {
  places: () => channelQuery('reference/list-places', {}),
  people: () => channelQuery('reference/list-people', {}),
  /** The sign-in accounts a member of staff can be linked to (the same read as Admin → Users). */
  accounts: () => channelQuery('users/list-users', {}),
};

/** A save changes the lists here, and what other screens price or show (bills, beds, doctors). */
export function useReferenceSave<C extends ChannelKey>(channel: C) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<C>) => request(channel, input),
    onSettled: () =>
      invalidateChannels(client, 'reference/list-places', 'reference/list-people', 'billing/list-unbilled', 'ward/get-bed-board'),
  });
}
