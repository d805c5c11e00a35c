import type { billingChannels } from '../../contract/billing.js';
import { actingUserId, inTransaction, reading, type HandlersFor } from '../ipc/handler-types.js';
import { addCharge, billAppointment, billStay, getAccount, listBalances, listUnbilled, takePayment, voidOne } from './billing-service.js';

export const billingHandlers = {
  'billing/list-balances': reading<'billing/list-balances'>((trx, { limit }) => listBalances(trx, limit)),
  'billing/get-account': reading<'billing/get-account'>((trx, { patientId }) => getAccount(trx, patientId)),
  'billing/list-unbilled': reading<'billing/list-unbilled'>((trx, { patientId, limit }) => listUnbilled(trx, patientId, limit)),
  'billing/bill-appointment': inTransaction<'billing/bill-appointment'>((trx, { appointmentId }) => billAppointment(trx, appointmentId)),
  'billing/bill-stay': inTransaction<'billing/bill-stay'>((trx, { assignmentId }) => billStay(trx, assignmentId)),
  'billing/add-charge': inTransaction<'billing/add-charge'>((trx, charge, ctx) => addCharge(trx, charge, actingUserId(ctx))),
  'billing/take-payment': inTransaction<'billing/take-payment'>((trx, payment, ctx) => takePayment(trx, payment, actingUserId(ctx))),
  'billing/void-bill': inTransaction<'billing/void-bill'>((trx, { billId, reason }) => voidOne(trx, billId, reason)),
} satisfies HandlersFor<typeof billingChannels>;
