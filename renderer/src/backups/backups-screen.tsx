import { useState, type FormEvent } from 'react';
import type { BackupOverview, BackupSchedule } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { ArchiverPanel } from './archiver-panel.js';
import { describeProgress, localInputToIso, megabytes, when } from './backup-format.js';
import { useBackupOverview, useRequestRestore, useSaveSchedule, useStartBackup, useVerifyBackup } from './queries.js';
import { TableRestorePanel } from './table-restore-panel.js';

const STATE_LABEL = { good: 'Good (verified)', bad: 'Bad', unverified: 'Not verified yet' } as const;

/** Admin → Backups: the embedded database's backups and restores; on a hospital's server, the archiver only. */
export function BackupsScreen() {
  const overview = useBackupOverview();
  if (overview.error) return <FormError error={overview.error} />;
  if (!overview.data) return <p className="muted">Loading backups…</p>;
  if (overview.data.mode === 'server') {
    return (
      <>
        <section className="admin-section" aria-labelledby="backups-title">
          <h2 id="backups-title">Backups</h2>
          <p>
            This workstation uses the hospital&apos;s own database server. Its backups are the database administrator&apos;s (pg_basebackup
            or pgBackRest, see the README); the app takes none there. What PostgreSQL reports about WAL archiving is below.
          </p>
        </section>
        <ArchiverPanel />
      </>
    );
  }
  return (
    <>
      <BackupNow overview={overview.data} />
      <BackupList overview={overview.data} />
      <ScheduleForm key={JSON.stringify(overview.data.schedule)} initial={overview.data.schedule} nextDueAt={overview.data.nextDueAt} />
      <RestoreForm pending={overview.data.pendingRestore} />
      <TableRestorePanel />
      <ArchiverPanel />
    </>
  );
}

function BackupNow({ overview }: { overview: BackupOverview }) {
  const start = useStartBackup();
  const running = overview.running;
  return (
    <section className="admin-section" aria-labelledby="backups-title">
      <h2 id="backups-title">Backups</h2>
      <p className="muted">
        A backup is a copy of the whole database taken while everyone works, plus every change since (WAL archiving). It counts as good only
        after it has been restored into a scratch database and checked.
      </p>
      <button type="button" className="primary" disabled={running !== null || start.isPending} onClick={() => start.mutate({})}>
        Back up now
      </button>
      <FormError error={start.error} />
      {running && (
        <div role="status" aria-live="polite" data-testid="backup-progress">
          <p>{describeProgress(running)}</p>
          <progress max={Math.max(running.bytesTotal, 1)} value={running.bytesDone} aria-label="Backup progress" />
        </div>
      )}
      {overview.lastFailure && (
        <p className="form-error" role="alert">
          {overview.lastFailure}
        </p>
      )}
    </section>
  );
}

function BackupList({ overview }: { overview: BackupOverview }) {
  const verify = useVerifyBackup();
  return (
    <section className="admin-section" aria-labelledby="backup-list-title">
      <h2 id="backup-list-title">Backups on this computer</h2>
      {overview.backups.length === 0 ? (
        <p className="empty">No backup yet.</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Taken</th>
              <th scope="col">Size</th>
              <th scope="col">State</th>
              <th scope="col">Checked</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {overview.backups.map((b) => (
              <tr key={b.id}>
                <td>{when(b.finishedAt)}</td>
                <td>
                  {megabytes(b.totalBytes)} ({b.fileCount} files)
                </td>
                <td className={b.state === 'bad' ? 'form-error' : undefined}>
                  {STATE_LABEL[b.state]}
                  {b.reason && `: ${b.reason}`}
                </td>
                <td>{when(b.checkedAt)}</td>
                <td>
                  <button
                    type="button"
                    disabled={verify.isPending || overview.running !== null}
                    onClick={() => verify.mutate({ backupId: b.id })}
                  >
                    Verify again
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FormError error={verify.error} />
      {verify.data && (
        <Notice>{`Backup checked: ${STATE_LABEL[verify.data.state]}${verify.data.reason ? ` — ${verify.data.reason}` : ''}.`}</Notice>
      )}
    </section>
  );
}

function ScheduleForm({ initial, nextDueAt }: { initial: BackupSchedule; nextDueAt: string | null }) {
  const [schedule, setSchedule] = useState(initial);
  const save = useSaveSchedule();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(schedule);
  };
  return (
    <form className="admin-section settings-form" onSubmit={submit} aria-labelledby="schedule-title">
      <h2 id="schedule-title">Schedule and retention</h2>
      <div className="field-grid">
        <label htmlFor="backup-every">Back up every (hours)</label>
        <input
          id="backup-every"
          type="number"
          min={1}
          max={168}
          value={schedule.everyHours}
          onChange={(e) => setSchedule({ ...schedule, everyHours: Number(e.target.value) })}
        />
        <label htmlFor="backup-keep">Keep backups for (days)</label>
        <input
          id="backup-keep"
          type="number"
          min={1}
          max={365}
          value={schedule.keepDays}
          onChange={(e) => setSchedule({ ...schedule, keepDays: Number(e.target.value) })}
        />
      </div>
      <p className="muted">Next backup due {when(nextDueAt)}. The newest good backup is always kept, and the archived WAL it needs.</p>
      <FormError error={save.error} />
      {save.isSuccess && <Notice>Saved.</Notice>}
      <button type="submit">Save schedule</button>
    </form>
  );
}

function RestoreForm({ pending }: { pending: string | null }) {
  const [kind, setKind] = useState<'latest' | 'time'>('latest');
  const [moment, setMoment] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const restore = useRequestRestore();
  const at = localInputToIso(moment);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (kind === 'time' && !at) return;
    restore.mutate({ target: kind === 'time' && at ? { kind: 'time', at } : { kind: 'latest' }, confirm: true });
  };
  return (
    <form className="admin-section settings-form" onSubmit={submit} aria-labelledby="restore-title">
      <h2 id="restore-title">Restore the whole database</h2>
      <p className="muted">
        The workstation restarts and restores before it opens: everyone is signed out. The current data is kept aside until the restored
        copy has started and passed its checks; otherwise it stays as it was.
      </p>
      <fieldset className="choice">
        <legend>Restore to</legend>
        <label>
          <input type="radio" name="restore-kind" checked={kind === 'latest'} onChange={() => setKind('latest')} /> The latest state
        </label>
        <label>
          <input type="radio" name="restore-kind" checked={kind === 'time'} onChange={() => setKind('time')} /> A moment:
        </label>
        <input
          type="datetime-local"
          step={1}
          aria-label="Moment to restore to"
          value={moment}
          disabled={kind !== 'time'}
          onChange={(e) => setMoment(e.target.value)}
        />
      </fieldset>
      <label>
        <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> I understand that changes made after
        that moment are set aside.
      </label>
      <FormError error={restore.error} />
      {pending && <Notice>{`A restore ${pending} runs at the next start.`}</Notice>}
      {restore.data && !restore.data.restartsNow && <Notice>Restart the workstation to restore.</Notice>}
      <button type="submit" className="primary" disabled={!confirmed || (kind === 'time' && !at) || restore.isPending}>
        Restore
      </button>
    </form>
  );
}
