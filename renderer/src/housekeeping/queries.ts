import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput, ChannelKey } from '../../../contract/index.js';
import { channelQuery, invalidateChannels, request } from '../client/channel-query.js';

/** The queue is read again each minute: a task turns overdue by the clock, and the ward adds tasks. */
export const housekeepingQueries = {
  queue: () => queryOptions({ ...channelQuery('housekeeping/get-queue', {}), refetchInterval: 60_000 }),
  /** Rooms change seldom (Admin → Reference data): read once a screen opens, again after five minutes. */
  rooms: () => queryOptions({ ...channelQuery('housekeeping/list-rooms', {}), staleTime: 5 * 60_000 }),
};

function useQueueWrite<C extends ChannelKey>(channel: C) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<C>) => request(channel, input),
    // A completed clean frees a bed on the ward's board too.
    onSettled: () => invalidateChannels(client, 'housekeeping/get-queue', 'ward/get-bed-board', 'ward/get-census'),
  });
}

export const usePlanRoutine = () => useQueueWrite('housekeeping/plan-routine');
export const useStartTask = () => useQueueWrite('housekeeping/start-task');
export const useCompleteTask = () => useQueueWrite('housekeeping/complete-task');
export const useSkipTask = () => useQueueWrite('housekeeping/skip-task');
export const useRequestCleaning = () => useQueueWrite('housekeeping/request-cleaning');
