import type { monitoringChannels } from '../../contract/index.js';
import { actingUserId, inTransaction, local, readingOnPrimary, type HandlersFor } from '../ipc/handler-types.js';
import { failure } from '../shared/failure.js';
import { readAlerts, readHealth } from './health-service.js';
import { runMaintenance } from './maintenance-runner.js';
import { signalBackend, updateMonitoringSettings } from './monitoring.repository.js';

export const monitoringHandlers = {
  'monitoring/get-health': readingOnPrimary<'monitoring/get-health'>((trx, input) => readHealth(trx, input.longQuerySeconds)),
  'monitoring/get-alerts': readingOnPrimary<'monitoring/get-alerts'>(async (trx) => ({ alerts: await readAlerts(trx) })),
  'monitoring/signal-backend': inTransaction<'monitoring/signal-backend'>(async (trx, input) => {
    try {
      return { signalled: await signalBackend(trx, input.pid, input.action === 'terminate') };
    } catch (error) {
      if ((error as { code?: string }).code === 'P0002') throw failure('NotFound', 'That connection has already ended.');
      throw error;
    }
  }),
  'monitoring/save-settings': inTransaction<'monitoring/save-settings'>(async (trx, input, ctx) => {
    if ((await updateMonitoringSettings(trx, input, actingUserId(ctx))) !== 1)
      throw failure('Forbidden', 'Your role does not allow this action.');
    return { saved: true as const };
  }),
  // Local: the command must run outside the door's transaction, on the owner's connection.
  'monitoring/run-maintenance': local<'monitoring/run-maintenance'>((input, ctx) =>
    runMaintenance({ table: input.table, action: input.action, userId: actingUserId(ctx), terminal: ctx.terminal.name }),
  ),
} satisfies HandlersFor<typeof monitoringChannels>;
