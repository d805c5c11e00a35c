import type { SystemStatus } from '../../../contract/index.js';

const LABELS: Record<SystemStatus['database'], string> = {
  connected: 'Connected',
  unreachable: 'Offline',
  starting: 'Starting…',
  'migration-failed': 'Database needs attention',
};

/** The database's state in a word, its detail for screen readers and on hover. */
export function DatabaseBadge({ status }: { status: SystemStatus }) {
  return (
    <span className={`db-badge db-${status.database}`} title={status.detail} data-testid="database-state">
      <span className="dot" aria-hidden="true" />
      {LABELS[status.database]}
      <span className="visually-hidden">: {status.detail}</span>
    </span>
  );
}
