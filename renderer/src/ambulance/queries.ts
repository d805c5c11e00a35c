import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput, ChannelKey } from '../../../contract/index.js';
import { channelQuery, invalidateChannels, request } from '../client/channel-query.js';

/** The board is read again every 30 s: other dispatchers' runs show without a key. */
export const ambulanceQueries = {
  fleet: () => queryOptions({ ...channelQuery('ambulance/get-fleet', {}), refetchInterval: 30_000 }),
  runs: () => queryOptions({ ...channelQuery('ambulance/list-runs', { days: 1 }), refetchInterval: 30_000 }),
  responseTimes: () => channelQuery('ambulance/get-response-times', { days: 7 }),
  patientSearch: (query: string) => channelQuery('patients/search-patients', { query, limit: 6, wider: true }),
};

const FLEET_READS: ChannelKey[] = ['ambulance/get-fleet', 'ambulance/list-runs', 'ambulance/get-response-times'];

function useFleetWrite<C extends ChannelKey>(channel: C) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<C>) => request(channel, input),
    onSettled: () => invalidateChannels(client, ...FLEET_READS),
  });
}

export const useDispatch = () => useFleetWrite('ambulance/dispatch-vehicle');
export const useUpdateRun = () => useFleetWrite('ambulance/update-run');
export const useSetVehicleStatus = () => useFleetWrite('ambulance/set-vehicle-status');
