import { useState, type FormEvent } from 'react';
import { MAINTENANCE_ACTIONS, type HealthSnapshot, type MaintenanceAction } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { formatBytes, formatWhen } from './format.js';
import { useRunMaintenance } from './queries.js';
import { mutateThen } from '../client/channel-query.js';

const ACTION_LABELS: Record<MaintenanceAction, string> = {
  analyze: 'ANALYZE (refresh statistics)',
  vacuum: 'VACUUM (reclaim dead rows)',
  'vacuum-full': 'VACUUM FULL (rewrite the table; locks it)',
  reindex: 'REINDEX CONCURRENTLY (rebuild its indexes)',
};

/** Every table's size, dead rows and last (auto)vacuum/analyze, and maintenance of one of them. */
export function TableMaintenance({ health }: { health: HealthSnapshot }) {
  const run = useRunMaintenance();
  const [table, setTable] = useState('');
  const [action, setAction] = useState<MaintenanceAction>('analyze');
  const [acceptLock, setAcceptLock] = useState(false);
  const [done, setDone] = useState('');
  const chosen = table || health.tables[0]?.name || '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone('');
    mutateThen(
      run,
      { table: chosen, action, acceptLock },
      { onSuccess: (r) => setDone(`${r.action.toUpperCase()} of ${r.table} finished in ${(r.millis / 1000).toFixed(1)} s.`) },
    );
  };
  return (
    <section aria-labelledby="tables-title">
      <h2 id="tables-title">Tables</h2>
      <table className="data-table" aria-label="Tables">
        <thead>
          <tr>
            <th>Table</th>
            <th className="numeric">Size</th>
            <th className="numeric">Rows</th>
            <th className="numeric">Dead rows</th>
            <th>Last vacuum / autovacuum</th>
            <th>Last analyze / autoanalyze</th>
          </tr>
        </thead>
        <tbody>
          {health.tables.map((t) => (
            <tr key={t.name} className={t.deadRows > Math.max(1000, t.liveRows * 0.2) ? 'monitor-warn' : undefined}>
              <td>{t.name}</td>
              <td className="numeric">{formatBytes(t.totalBytes)}</td>
              <td className="numeric">{t.liveRows.toLocaleString('en-GB')}</td>
              <td className="numeric">{t.deadRows.toLocaleString('en-GB')}</td>
              <td>
                {formatWhen(t.lastVacuum)} / {formatWhen(t.lastAutovacuum)}
              </td>
              <td>
                {formatWhen(t.lastAnalyze)} / {formatWhen(t.lastAutoanalyze)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <form className="settings-form" onSubmit={submit} aria-labelledby="maintenance-title">
        <h3 id="maintenance-title">Maintenance</h3>
        {!health.maintenanceAvailable && (
          <p className="muted">
            This workstation has no owner connection (a hospital server): the DBA runs maintenance. Choosing an action shows the command.
          </p>
        )}
        <label>
          Table
          <select value={chosen} onChange={(e) => setTable(e.target.value)}>
            {health.tables.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Action
          <select value={action} onChange={(e) => setAction(e.target.value as MaintenanceAction)}>
            {MAINTENANCE_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {ACTION_LABELS[a]}
              </option>
            ))}
          </select>
        </label>
        {action === 'vacuum-full' && (
          <label className="monitor-warn">
            <input type="checkbox" checked={acceptLock} onChange={(e) => setAcceptLock(e.target.checked)} /> VACUUM FULL locks {chosen} for
            reading and writing until it ends (minutes on a large table). It is refused while other terminals are connected.
          </label>
        )}
        <FormError error={run.error} />
        <Notice>{done}</Notice>
        <div>
          <button type="submit" disabled={run.isPending || !chosen}>
            {run.isPending ? 'Running…' : 'Run'}
          </button>
        </div>
      </form>
    </section>
  );
}
