import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput, ChannelKey } from '../../../contract/index.js';
import { channelQuery, invalidateChannels, request } from '../client/channel-query.js';

/** Billing's reads, each keyed by its channel and input. */
export const billingQueries = {
  balances: () => channelQuery('billing/list-balances', { limit: 10 }),
  account: (patientId: number) => channelQuery('billing/get-account', { patientId }),
  unbilled: (patientId?: number) =>
    channelQuery('billing/list-unbilled', patientId === undefined ? { limit: 50 } : { patientId, limit: 50 }),
  patientSearch: (query: string) => channelQuery('patients/search-patients', { query, limit: 10, wider: true }),
};

/** Any bill or payment changes what is owed everywhere on this screen. */
const BILLING_READS: ChannelKey[] = ['billing/list-balances', 'billing/get-account', 'billing/list-unbilled'];

function useBillingWrite<C extends ChannelKey>(channel: C) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<C>) => request(channel, input),
    onSettled: () => invalidateChannels(client, ...BILLING_READS),
  });
}

export const useTakePayment = () => useBillingWrite('billing/take-payment');
export const useVoidBill = () => useBillingWrite('billing/void-bill');
export const useAddCharge = () => useBillingWrite('billing/add-charge');
export const useBillAppointment = () => useBillingWrite('billing/bill-appointment');
export const useBillStay = () => useBillingWrite('billing/bill-stay');
