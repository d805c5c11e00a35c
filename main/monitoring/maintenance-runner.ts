import type { MaintenanceAction } from '../../contract/index.js';
import { failure } from '../shared/failure.js';
import { monitoringHost } from './monitoring-host.js';
import { findMaintainableTable, findOtherTerminalLogins, recordMaintenance, runMaintenanceCommand } from './maintenance.repository.js';

export interface MaintenanceRequest {
  table: string;
  action: MaintenanceAction;
  userId: string;
  terminal: string;
}

const DBA_COMMAND: Record<MaintenanceAction, string> = {
  analyze: 'ANALYZE',
  vacuum: 'VACUUM',
  'vacuum-full': 'VACUUM (FULL, ANALYZE)',
  reindex: 'REINDEX TABLE CONCURRENTLY',
};

let running: string | null = null;

/**
 * ANALYZE, VACUUM, VACUUM FULL and REINDEX CONCURRENTLY cannot run inside the one door's transaction,
 * and only the tables' owner may run them: here they run on the owner's own connection, in
 * autocommit, after the door has checked settings.manage. The table is looked up in the catalog
 * (the input only selects it); the request is audited before the command starts; one at a time.
 */
export async function runMaintenance(request: MaintenanceRequest): Promise<{ table: string; action: MaintenanceAction; millis: number }> {
  const pool = monitoringHost().ownerPool;
  if (!pool)
    throw failure(
      'Unavailable',
      `Maintenance runs from this workstation only on the local database. On the hospital server the DBA runs: ${DBA_COMMAND[request.action]} public.${request.table};`,
    );
  if (running) throw failure('Conflict', `Maintenance of ${running} is still running. Wait for it to finish.`);
  running = request.table;
  const client = await pool.connect();
  try {
    const quoted = await findMaintainableTable(client, request.table);
    if (!quoted) throw failure('NotFound', `There is no table named ${request.table}.`);
    if (request.action === 'vacuum-full') {
      const others = await findOtherTerminalLogins(client, monitoringHost().appLogin);
      if (others.length > 0)
        throw failure(
          'Conflict',
          `VACUUM FULL locks ${request.table} until it ends, and other terminals are connected (${others.slice(0, 5).join(', ')}${others.length > 5 ? ` and ${others.length - 5} more` : ''}). Run it when they have closed the app.`,
        );
    }
    await recordMaintenance(client, request);
    const started = performance.now();
    try {
      await runMaintenanceCommand(client, request.action, quoted);
    } catch (error) {
      if ((error as { code?: string }).code === '55P03')
        throw failure('Conflict', `${request.table} is busy (another session holds a lock on it). Try again when it is quieter.`);
      throw error;
    }
    return { table: request.table, action: request.action, millis: Math.round(performance.now() - started) };
  } finally {
    client.release();
    running = null;
  }
}
