import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput, ChannelKey } from '../../../contract/index.js';
import { channelQuery, invalidateChannels, request } from '../client/channel-query.js';

/** The backups list: every second while one runs (its progress), otherwise every 30 s while on screen. */
export const useBackupOverview = () =>
  useQuery({ ...channelQuery('backups/get-overview', {}), refetchInterval: (query) => (query.state.data?.running ? 1000 : 30_000) });

/** WAL archiving as PostgreSQL reports it (both the embedded database and a hospital's server). */
export const useArchiverStatus = () => useQuery({ ...channelQuery('backups/get-archiver-status', {}), refetchInterval: 30_000 });

function useBackupChange<C extends ChannelKey>(channel: C) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<C>) => request(channel, input),
    onSettled: () => invalidateChannels(client, 'backups/get-overview', 'backups/get-archiver-status'),
  });
}

export const useStartBackup = () => useBackupChange('backups/start-backup');
export const useVerifyBackup = () => useBackupChange('backups/verify-backup');
export const useSaveSchedule = () => useBackupChange('backups/save-schedule');
export const useRequestRestore = () => useBackupChange('backups/request-restore');
export const useCompareTable = () => useBackupChange('backups/compare-table');
export const useRestoreTable = () => useBackupChange('backups/restore-table');
