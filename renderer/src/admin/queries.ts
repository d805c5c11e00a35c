import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput, ChannelKey } from '../../../contract/index.js';
import { channelQuery, invalidateChannels, request } from '../client/channel-query.js';

/** The administrator's reads. */
export const adminQueries = {
  users: () => channelQuery('users/list-users', {}),
  roles: () => channelQuery('roles/list-roles', {}),
  security: () => channelQuery('settings/get-security', {}),
  /** The database settings and this workstation's identity (one channel answers both). */
  workstation: () => channelQuery('settings/get-database', {}),
};

/** A change through one channel that makes some reads stale. */
function useAdminChange<C extends ChannelKey>(channel: C, stale: ChannelKey[], options: { gcTime?: number } = {}) {
  const client = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: (input: ChannelInput<C>) => request(channel, input),
    onSettled: () => invalidateChannels(client, ...stale),
  });
}

export const useCreateUser = () => useAdminChange('users/create-user', ['users/list-users']);
export const useSetUserActive = () => useAdminChange('users/set-user-active', ['users/list-users']);
export const useSetUserRoles = () => useAdminChange('users/set-user-roles', ['users/list-users']);
export const useUnlockUser = () => useAdminChange('users/unlock-user', ['users/list-users']);
export const useIssueResetCode = () => useAdminChange('users/issue-reset-code', [], { gcTime: 0 });
export const useSaveSecurity = () => useAdminChange('settings/save-security', ['settings/get-security']);
export const useSaveTerminal = () => useAdminChange('settings/save-terminal', ['settings/get-database']);
// The server's password may travel in it: forgotten as soon as the form is gone.
export const useSaveDatabase = () => useAdminChange('settings/save-database', ['settings/get-database'], { gcTime: 0 });
