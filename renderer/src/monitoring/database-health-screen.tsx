import type { HealthSnapshot } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { formatBytes, formatWhen } from './format.js';
import { LongQueries } from './long-queries.js';
import { MonitoringSettingsForm } from './monitoring-settings-form.js';
import { useHealth } from './queries.js';
import { TableMaintenance } from './table-maintenance.js';
import './monitoring.css';

function Summary({ health }: { health: HealthSnapshot }) {
  const { migrations, archiver, disk } = health;
  return (
    <dl className="monitor-summary">
      <dt>Server</dt>
      <dd>PostgreSQL {health.serverVersion}</dd>
      <dt>Database size</dt>
      <dd>{formatBytes(health.databaseBytes)}</dd>
      <dt>Disk</dt>
      <dd>{disk ? `${formatBytes(disk.freeBytes)} free of ${formatBytes(disk.totalBytes)}` : 'not shown (hospital server)'}</dd>
      <dt>Cache hit ratio</dt>
      <dd>{health.cacheHitRatio === null ? 'no reads yet' : `${(health.cacheHitRatio * 100).toFixed(2)}%`}</dd>
      <dt>Migrations</dt>
      <dd>
        {migrations.applied} applied, latest {migrations.latest ?? 'none'}
        {migrations.pending === null
          ? ''
          : migrations.pending.length === 0
            ? '; none pending'
            : `; pending: ${migrations.pending.join(', ')}`}
      </dd>
      <dt>WAL archiving</dt>
      <dd className={archiver.failing ? 'monitor-bad' : undefined}>
        {archiver.archiveMode === 'off' || archiver.archiveMode === null
          ? 'off'
          : `${archiver.archivedCount} archived, last ${formatWhen(archiver.lastArchivedTime)}; ${archiver.failedCount} failed${archiver.failing ? ` — FAILING (last ${archiver.lastFailedWal ?? ''} at ${formatWhen(archiver.lastFailedTime)})` : ''}`}
      </dd>
    </dl>
  );
}

/** Admin → Database: what the server is doing, read through clinic_monitor (pg_monitor). */
export function DatabaseHealthScreen() {
  const health = useHealth();
  if (health.error) return <FormError error={health.error} />;
  if (!health.data) return <p aria-busy="true">Reading the database's health…</p>;
  const data = health.data;
  return (
    <div className="monitor-screen">
      {!data.fullView && (
        <p className="form-error" role="note">
          Limited view: the monitoring role lacks pg_monitor, so other sessions' queries are hidden and cannot be cancelled. The DBA runs:
          GRANT pg_monitor, pg_signal_backend TO clinic_monitor;
        </p>
      )}
      <Summary health={data} />
      <section aria-labelledby="connections-title">
        <h2 id="connections-title">Connections</h2>
        <table className="data-table" aria-label="Connections by application and state">
          <thead>
            <tr>
              <th>Application</th>
              <th>Login</th>
              <th>State</th>
              <th className="numeric">Count</th>
            </tr>
          </thead>
          <tbody>
            {data.connections.map((c) => (
              <tr key={`${c.application}|${c.login}|${c.state}`}>
                <td>{c.application}</td>
                <td>{c.login}</td>
                <td>{c.state}</td>
                <td className="numeric">{c.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <LongQueries health={data} />
      <section aria-labelledby="statements-title">
        <h2 id="statements-title">Top statements by total time</h2>
        {!data.statements.available ? (
          <p className="muted">Not available: {data.statements.reason}</p>
        ) : (
          <table className="data-table" aria-label="Top statements">
            <thead>
              <tr>
                <th>Statement</th>
                <th className="numeric">Calls</th>
                <th className="numeric">Total ms</th>
                <th className="numeric">Mean ms</th>
                <th className="numeric">Rows</th>
              </tr>
            </thead>
            <tbody>
              {data.statements.rows.map((s, index) => (
                <tr key={index}>
                  <td>
                    <code className="monitor-query">{s.query}</code>
                  </td>
                  <td className="numeric">{s.calls.toLocaleString('en-GB')}</td>
                  <td className="numeric">{s.totalMs.toLocaleString('en-GB')}</td>
                  <td className="numeric">{s.meanMs}</td>
                  <td className="numeric">{s.rows.toLocaleString('en-GB')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <TableMaintenance health={data} />
      <MonitoringSettingsForm key={`${data.settings.longQueryMinutes}-${data.settings.diskWarningPercent}`} settings={data.settings} />
    </div>
  );
}
