import { FormError } from '../ui/form-error.js';
import { when } from './backup-format.js';
import { useArchiverStatus } from './queries.js';

/** PostgreSQL's own report of WAL archiving: on a hospital's server, all the app can see of its backups. */
export function ArchiverPanel() {
  const archiver = useArchiverStatus();
  return (
    <section className="admin-section" aria-labelledby="archiver-title">
      <h2 id="archiver-title">WAL archiving (pg_stat_archiver)</h2>
      <FormError error={archiver.error} />
      {archiver.data && (
        <dl className="field-grid" data-testid="archiver-status">
          <dt>Archiving</dt>
          <dd>{archiver.data.archiving ? 'On' : 'Off — point-in-time restore is not possible'}</dd>
          <dt>Last archived</dt>
          <dd>
            {archiver.data.lastArchivedWal ?? 'nothing yet'} {archiver.data.lastArchivedAt && `at ${when(archiver.data.lastArchivedAt)}`}
          </dd>
          <dt>Archived</dt>
          <dd>{archiver.data.archivedCount} files</dd>
          <dt>Last failure</dt>
          <dd className={archiver.data.failedCount > 0 ? 'form-error' : undefined}>
            {archiver.data.lastFailedWal
              ? `${archiver.data.lastFailedWal} at ${when(archiver.data.lastFailedAt)} (${archiver.data.failedCount} failures)`
              : 'none'}
          </dd>
        </dl>
      )}
    </section>
  );
}
