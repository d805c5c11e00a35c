import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput, ChannelKey } from '../../../contract/index.js';
import { channelQuery, invalidateChannels, request } from '../client/channel-query.js';

/** The pharmacy's reads, each keyed by its channel and input. */
export const pharmacyQueries = {
  queue: () => channelQuery('pharmacy/get-verification-queue', { limit: 200 }),
  order: (prescriptionId: number) => channelQuery('pharmacy/get-order', { prescriptionId }),
  medicines: (query: string) => channelQuery('pharmacy/search-medicines', { query, limit: 20 }),
  allergies: (patientId: number) => channelQuery('pharmacy/list-allergies', { patientId }),
  lots: (input: ChannelInput<'pharmacy/list-lots'>) => channelQuery('pharmacy/list-lots', input),
  returnable: (prescriptionId: number) => channelQuery('pharmacy/list-returnable', { prescriptionId }),
  lowStock: () => channelQuery('pharmacy/report-low-stock', {}),
  expiring: (withinDays: number) =>
    queryOptions({ ...channelQuery('pharmacy/report-expiring', { withinDays, includeExpired: true }), placeholderData: keepPreviousData }),
  onHand: (controlledOnly: boolean) => channelQuery('pharmacy/report-stock-on-hand', { controlledOnly, includeEmpty: false }),
  ledgerUsers: () => channelQuery('pharmacy/list-ledger-users', {}),
  register: (medicineId: number) => channelQuery('pharmacy/get-controlled-register', { medicineId }),
  queried: () => channelQuery('pharmacy/list-queried-orders', { limit: 100 }),
  openOrders: (patientId: number) => channelQuery('pharmacy/list-open-orders', { patientId }),
  discrepancies: (includeResolved: boolean) => channelQuery('pharmacy/list-count-discrepancies', { includeResolved }),
};

/** What a movement of an order makes stale: the queue, the orders, the prescriber's queried list. */
const ORDER_READS: ChannelKey[] = [
  'pharmacy/get-verification-queue',
  'pharmacy/get-order',
  'pharmacy/list-queried-orders',
  'pharmacy/list-open-orders',
];
/** What a movement of stock makes stale: every stock read. */
const STOCK_READS: ChannelKey[] = [
  'pharmacy/search-medicines',
  'pharmacy/list-lots',
  'pharmacy/list-returnable',
  'pharmacy/report-low-stock',
  'pharmacy/report-expiring',
  'pharmacy/report-stock-on-hand',
  'pharmacy/list-ledger',
  'pharmacy/get-controlled-register',
];

/**
 * A change through one channel that makes some reads stale. A witness's password may travel in the
 * variables of stock changes: forgotten as soon as the change is done (gcTime 0).
 */
function usePharmacyChange<C extends ChannelKey>(channel: C, stale: ChannelKey[]) {
  const client = useQueryClient();
  return useMutation({
    gcTime: 0,
    mutationFn: (input: ChannelInput<C>) => request(channel, input),
    onSettled: () => invalidateChannels(client, ...stale),
  });
}

export const useVerifyOrder = () => usePharmacyChange('pharmacy/verify-order', ORDER_READS);
export const useQueryOrder = () => usePharmacyChange('pharmacy/query-order', ORDER_READS);
export const useDispenseOrder = () => usePharmacyChange('pharmacy/dispense-order', [...ORDER_READS, ...STOCK_READS]);
export const useReceiveDelivery = () => usePharmacyChange('pharmacy/receive-delivery', STOCK_READS);
export const useAdjustStock = () => usePharmacyChange('pharmacy/adjust-stock', STOCK_READS);
export const useDisposeStock = () => usePharmacyChange('pharmacy/dispose-stock', STOCK_READS);
export const useReturnFromWard = () => usePharmacyChange('pharmacy/return-from-ward', [...ORDER_READS, ...STOCK_READS]);
export const useRecordCount = () =>
  usePharmacyChange('pharmacy/record-controlled-count', ['pharmacy/get-controlled-register', 'pharmacy/list-count-discrepancies']);
export const useResolveDiscrepancy = () =>
  usePharmacyChange('pharmacy/resolve-count-discrepancy', ['pharmacy/get-controlled-register', 'pharmacy/list-count-discrepancies']);
export const useCheckOrder = () => usePharmacyChange('pharmacy/check-order', []);
export const usePrescribe = () => usePharmacyChange('pharmacy/prescribe-medicine', ORDER_READS);
export const useCancelOrder = () => usePharmacyChange('pharmacy/cancel-order', ORDER_READS);
/** An allergy changes what every check, chart, board flag and round of that patient says. */
const ALLERGY_READS: ChannelKey[] = [
  'pharmacy/list-allergies',
  'pharmacy/get-order',
  'ward/get-bed-board',
  'ward/get-mar',
  'ward/get-due-medicines',
  'ward/get-handover',
];
export const useRecordAllergy = () => usePharmacyChange('pharmacy/record-allergy', ALLERGY_READS);
export const useMarkAllergyInError = () => usePharmacyChange('pharmacy/mark-allergy-in-error', ALLERGY_READS);
