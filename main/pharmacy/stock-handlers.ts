// The second slice's channels: stock movements, reports, the ledger, controlled drugs, and the
// prescriber's queried orders, cancellations and weights.
import type { pharmacyChannels } from '../../contract/pharmacy.js';
import { actingUserId, inTransaction, reading, type HandlerContext, type HandlersFor } from '../ipc/handler-types.js';
import { localNow } from '../shared/clinic-time.js';
import type { Actor } from './controlled-witness.js';
import { getControlledRegister, listDiscrepancies, recordControlledCount, resolveDiscrepancy } from './controlled-service.js';
import { findLedgerUsers } from './ledger.repository.js';
import { listLedger } from './ledger-service.js';
import { cancelPrescription, listOpenOrders, listQueriedOrders, recordWeight } from './order-changes-service.js';
import { adjustStock, disposeStock, listReturnable, returnFromWard } from './stock-movements-service.js';
import { findExpiringLots, findLowStock, findStockOnHand, listLots } from './stock.repository.js';

type StockChannels = Pick<
  typeof pharmacyChannels,
  | 'pharmacy/adjust-stock'
  | 'pharmacy/list-returnable'
  | 'pharmacy/return-from-ward'
  | 'pharmacy/dispose-stock'
  | 'pharmacy/list-lots'
  | 'pharmacy/report-low-stock'
  | 'pharmacy/report-expiring'
  | 'pharmacy/report-stock-on-hand'
  | 'pharmacy/list-ledger'
  | 'pharmacy/list-ledger-users'
  | 'pharmacy/get-controlled-register'
  | 'pharmacy/record-controlled-count'
  | 'pharmacy/list-count-discrepancies'
  | 'pharmacy/resolve-count-discrepancy'
  | 'pharmacy/list-queried-orders'
  | 'pharmacy/list-open-orders'
  | 'pharmacy/cancel-order'
  | 'pharmacy/record-weight'
>;

/** The signed-in user at this terminal, now: who a witness stands beside. */
export const actorOf = (ctx: HandlerContext): Actor => ({ userId: actingUserId(ctx), terminal: ctx.terminal, now: ctx.now() });
const today = (ctx: HandlerContext) => localNow(ctx.now()).date;

export const stockHandlers = {
  'pharmacy/adjust-stock': inTransaction<'pharmacy/adjust-stock'>((trx, request, ctx) => adjustStock(trx, request, actorOf(ctx))),
  'pharmacy/list-returnable': reading<'pharmacy/list-returnable'>((trx, { prescriptionId }) => listReturnable(trx, prescriptionId)),
  'pharmacy/return-from-ward': inTransaction<'pharmacy/return-from-ward'>((trx, request, ctx) =>
    returnFromWard(trx, request, actorOf(ctx)),
  ),
  'pharmacy/dispose-stock': inTransaction<'pharmacy/dispose-stock'>((trx, request, ctx) => disposeStock(trx, request, actorOf(ctx))),
  'pharmacy/list-lots': reading<'pharmacy/list-lots'>((trx, query, ctx) => listLots(trx, query, today(ctx))),
  'pharmacy/report-low-stock': reading<'pharmacy/report-low-stock'>((trx, _input, ctx) => findLowStock(trx, today(ctx))),
  'pharmacy/report-expiring': reading<'pharmacy/report-expiring'>((trx, { withinDays, includeExpired }, ctx) =>
    findExpiringLots(trx, withinDays, includeExpired, today(ctx)),
  ),
  'pharmacy/report-stock-on-hand': reading<'pharmacy/report-stock-on-hand'>((trx, { controlledOnly, includeEmpty }, ctx) =>
    findStockOnHand(trx, controlledOnly, includeEmpty, today(ctx)),
  ),
  'pharmacy/list-ledger': reading<'pharmacy/list-ledger'>((trx, query) => listLedger(trx, query)),
  'pharmacy/list-ledger-users': reading<'pharmacy/list-ledger-users'>((trx) => findLedgerUsers(trx)),
  'pharmacy/get-controlled-register': reading<'pharmacy/get-controlled-register'>((trx, request) => getControlledRegister(trx, request)),
  'pharmacy/record-controlled-count': inTransaction<'pharmacy/record-controlled-count'>((trx, request, ctx) =>
    recordControlledCount(trx, request, actorOf(ctx)),
  ),
  'pharmacy/list-count-discrepancies': reading<'pharmacy/list-count-discrepancies'>((trx, { includeResolved }) =>
    listDiscrepancies(trx, includeResolved),
  ),
  'pharmacy/resolve-count-discrepancy': inTransaction<'pharmacy/resolve-count-discrepancy'>((trx, { countId, resolution }) =>
    resolveDiscrepancy(trx, countId, resolution),
  ),
  'pharmacy/list-queried-orders': reading<'pharmacy/list-queried-orders'>((trx, { limit }, ctx) =>
    listQueriedOrders(trx, actingUserId(ctx), limit),
  ),
  'pharmacy/list-open-orders': reading<'pharmacy/list-open-orders'>((trx, { patientId }, ctx) =>
    listOpenOrders(trx, actingUserId(ctx), patientId),
  ),
  'pharmacy/cancel-order': inTransaction<'pharmacy/cancel-order'>((trx, { prescriptionId, reason }, ctx) =>
    cancelPrescription(trx, prescriptionId, reason, actingUserId(ctx)),
  ),
  'pharmacy/record-weight': inTransaction<'pharmacy/record-weight'>((trx, { patientId, weightKg }, ctx) =>
    recordWeight(trx, patientId, weightKg, actingUserId(ctx)),
  ),
} satisfies HandlersFor<StockChannels>;
