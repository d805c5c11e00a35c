import { useState, type FormEvent } from 'react';
import { RESTORABLE_TABLES, type TableDifference } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { localInputToIso } from './backup-format.js';
import { useCompareTable, useRestoreTable } from './queries.js';

type RestorableTable = (typeof RESTORABLE_TABLES)[number];

/** One table put back from a backup: compare first (how many rows differ), then restore what was shown. */
export function TableRestorePanel() {
  const [table, setTable] = useState<RestorableTable>('patients');
  const [moment, setMoment] = useState('');
  const compare = useCompareTable();
  const restore = useRestoreTable();
  const shown: TableDifference | undefined = compare.data;
  const at = localInputToIso(moment);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    restore.reset();
    compare.mutate({ table, at });
  };

  return (
    <form className="admin-section settings-form" onSubmit={submit} aria-labelledby="table-restore-title">
      <h2 id="table-restore-title">Restore one table</h2>
      <p className="muted">
        The backup is started as a scratch database (at the moment you choose, or as the newest good backup was taken) and compared row by
        row with the table now. Restoring copies its rows back in one transaction, recorded in the audit trail under your name.
      </p>
      <div className="field-grid">
        <label htmlFor="restore-table">Table</label>
        <select id="restore-table" value={table} onChange={(e) => setTable(RESTORABLE_TABLES.find((t) => t === e.target.value) ?? table)}>
          {RESTORABLE_TABLES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <label htmlFor="restore-table-moment">As it was at (empty: the newest backup)</label>
        <input id="restore-table-moment" type="datetime-local" step={1} value={moment} onChange={(e) => setMoment(e.target.value)} />
      </div>
      <button type="submit" disabled={compare.isPending}>
        {compare.isPending ? 'Comparing…' : 'Compare with the backup'}
      </button>
      <FormError error={compare.error} />
      {shown && !restore.data && (
        <div role="status" data-testid="table-difference">
          <p>
            {shown.table}: {shown.added} rows added since, {shown.removed} removed, {shown.changed} changed ({shown.unchanged} the same).
          </p>
          {shown.added + shown.removed + shown.changed > 0 && (
            <button
              type="button"
              className="primary"
              disabled={restore.isPending}
              onClick={() =>
                restore.mutate({
                  table: shown.table,
                  at: shown.at,
                  expected: { added: shown.added, removed: shown.removed, changed: shown.changed },
                })
              }
            >
              Put these {shown.added + shown.removed + shown.changed} rows back as the backup has them
            </button>
          )}
        </div>
      )}
      <FormError error={restore.error} />
      {restore.data && <Notice>{`${restore.data.table} restored from backup ${restore.data.backupId}.`}</Notice>}
    </form>
  );
}
