import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput, ChannelKey } from '../../../contract/index.js';
import { channelQuery, invalidateChannels, request } from '../client/channel-query.js';

/** Admin → Database: re-read every 15 s while on screen (a long query grows while one watches). */
export const useHealth = (longQuerySeconds?: number) =>
  useQuery({
    ...channelQuery('monitoring/get-health', longQuerySeconds === undefined ? {} : { longQuerySeconds }),
    refetchInterval: 15_000,
  });

/** The status light: once a minute, only for those allowed to act on it. */
export const useAlerts = (enabled: boolean) => useQuery({ ...channelQuery('monitoring/get-alerts', {}), enabled, refetchInterval: 60_000 });

function useMonitoringChange<C extends ChannelKey>(channel: C) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<C>) => request(channel, input),
    onSettled: () => invalidateChannels(client, 'monitoring/get-health', 'monitoring/get-alerts'),
  });
}

export const useSignalBackend = () => useMonitoringChange('monitoring/signal-backend');
export const useSaveMonitoringSettings = () => useMonitoringChange('monitoring/save-settings');
export const useRunMaintenance = () => useMonitoringChange('monitoring/run-maintenance');
