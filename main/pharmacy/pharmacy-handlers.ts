import type { pharmacyChannels } from '../../contract/pharmacy.js';
import { actingUserId, inTransaction, reading, readingOnPrimary, type HandlersFor } from '../ipc/handler-types.js';
import { localNow } from '../shared/clinic-time.js';
import { listAllergies, markInError, recordAllergy } from './allergies-service.js';
import { dispenseOrder, receiveDelivery } from './dispensing-service.js';
import { searchMedicines } from './medicines.repository.js';
import { findQueue } from './prescriptions.repository.js';
import { actorOf, stockHandlers } from './stock-handlers.js';
import { checkOrder, getOrder, prescribe, queryOrder, verifyOrder } from './prescribing-service.js';

export const pharmacyHandlers = {
  'pharmacy/search-medicines': reading<'pharmacy/search-medicines'>((trx, { query, limit }, ctx) =>
    searchMedicines(trx, query, limit, localNow(ctx.now()).date),
  ),
  'pharmacy/check-order': readingOnPrimary<'pharmacy/check-order'>((trx, order) => checkOrder(trx, order)),
  'pharmacy/prescribe-medicine': inTransaction<'pharmacy/prescribe-medicine'>((trx, { order, overrides }, ctx) =>
    prescribe(trx, order, overrides, actingUserId(ctx)),
  ),
  'pharmacy/get-verification-queue': reading<'pharmacy/get-verification-queue'>((trx, { limit }) => findQueue(trx, limit)),
  'pharmacy/get-order': readingOnPrimary<'pharmacy/get-order'>((trx, { prescriptionId }, ctx) =>
    getOrder(trx, prescriptionId, localNow(ctx.now()).date),
  ),
  'pharmacy/verify-order': inTransaction<'pharmacy/verify-order'>((trx, { prescriptionId, overrides }, ctx) =>
    verifyOrder(trx, prescriptionId, overrides, actingUserId(ctx)),
  ),
  'pharmacy/query-order': inTransaction<'pharmacy/query-order'>((trx, { prescriptionId, reason }) =>
    queryOrder(trx, prescriptionId, reason),
  ),
  'pharmacy/dispense-order': inTransaction<'pharmacy/dispense-order'>((trx, request, ctx) =>
    dispenseOrder(trx, request, actorOf(ctx), localNow(ctx.now()).date),
  ),
  'pharmacy/receive-delivery': inTransaction<'pharmacy/receive-delivery'>((trx, delivery, ctx) =>
    receiveDelivery(trx, delivery, actingUserId(ctx), localNow(ctx.now()).date),
  ),
  'pharmacy/record-allergy': inTransaction<'pharmacy/record-allergy'>((trx, allergy, ctx) =>
    recordAllergy(trx, allergy, actingUserId(ctx)),
  ),
  'pharmacy/list-allergies': readingOnPrimary<'pharmacy/list-allergies'>((trx, { patientId }) => listAllergies(trx, patientId)),
  'pharmacy/mark-allergy-in-error': inTransaction<'pharmacy/mark-allergy-in-error'>((trx, { allergyId, reason }, ctx) =>
    markInError(trx, allergyId, reason, actingUserId(ctx)),
  ),
  ...stockHandlers,
} satisfies HandlersFor<typeof pharmacyChannels>;
