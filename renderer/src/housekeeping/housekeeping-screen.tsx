import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CleaningStatus, CleaningTask } from '../../../contract/index.js';
import { useCan } from '../session/index.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { housekeepingQueries, useCompleteTask, usePlanRoutine, useSkipTask, useStartTask } from './queries.js';
import { RequestCleaningForm } from './request-cleaning-form.js';
import './housekeeping.css';
import { mutateThen } from '../client/channel-query.js';

const STATUS_LABELS: Record<CleaningStatus, string> = {
  Scheduled: 'To do',
  InProgress: 'Cleaning',
  Completed: 'Done',
  Skipped: 'Skipped',
};
const time = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '');
const place = (task: CleaningTask) => `${task.roomNumber}${task.bedNumber === null ? ' (whole room)' : ` bed ${task.bedNumber}`}`;

/** Housekeeping: the cleaning queue, most urgent first; a bed is free again once its clean is done. */
export function HousekeepingScreen() {
  const canWrite = useCan('cleaning.write');
  const queue = useQuery(housekeepingQueries.queue());
  const plan = usePlanRoutine();
  const start = useStartTask();
  const complete = useCompleteTask();
  const [skipping, setSkipping] = useState<CleaningTask | null>(null);
  const [notice, setNotice] = useState('');
  const [asking, setAsking] = useState(false);
  // Closing the form hands the keyboard back to the button that opened it.
  const backFromForm = useRef(false);
  const closeAsking = () => ((backFromForm.current = true), setAsking(false));
  const focusWhenBack = (button: HTMLButtonElement | null) => {
    if (button && backFromForm.current) {
      backFromForm.current = false;
      button.focus();
    }
  };
  const { mutate: planToday } = plan;
  // Today's routine cleans are planned when the queue is first opened (once per room and day, DB-enforced).
  useEffect(() => {
    if (canWrite) planToday({});
  }, [canWrite, planToday]);

  const open = queue.data?.open ?? [];
  const overdue = open.filter((t) => t.overdue).length;
  return (
    <section className="panel wide cleaning-queue" aria-labelledby="housekeeping-title">
      <h1 id="housekeeping-title">Cleaning queue</h1>
      <p>
        {open.length} to clean{overdue > 0 && <strong> · {overdue} overdue</strong>}
      </p>
      <Notice>{notice}</Notice>
      {canWrite &&
        (asking ? (
          <RequestCleaningForm onAsked={(text) => (setNotice(text), closeAsking())} onClose={closeAsking} />
        ) : (
          <button type="button" className="ask-cleaning" ref={focusWhenBack} onClick={() => (setNotice(''), setAsking(true))}>
            Ask for a clean…
          </button>
        ))}
      <FormError error={queue.error ?? plan.error ?? start.error ?? complete.error} />
      {skipping && (
        <SkipForm
          task={skipping}
          onDone={() => {
            setNotice(`${place(skipping)}: skipped.`);
            setSkipping(null);
          }}
          onCancel={() => setSkipping(null)}
        />
      )}
      <table className="data-table" aria-label="Open cleaning tasks">
        <thead>
          <tr>
            <th>Room</th>
            <th>Kind</th>
            <th>Asked</th>
            <th>Due</th>
            <th>Status</th>
            <th>Notes</th>
            {canWrite && (
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {open.map((task) => (
            <tr key={task.cleaningId} className={task.overdue ? 'overdue-row' : undefined}>
              <td>
                {place(task)}
                <div className="muted">{task.departmentName ?? ''}</div>
              </td>
              <td className="cleaning-type">{task.type}</td>
              <td>{time(task.scheduledAt)}</td>
              <td>
                {time(task.dueAt)}
                {task.overdue && <span className="overdue-badge">Overdue</span>}
              </td>
              <td>
                {STATUS_LABELS[task.status]}
                {task.staffName && <div className="muted">{task.staffName}</div>}
              </td>
              <td>{task.notes ?? ''}</td>
              {canWrite && (
                <td>
                  <span className="row-actions">
                    {task.status === 'Scheduled' && (
                      <button
                        type="button"
                        aria-label={`Start ${place(task)}`}
                        onClick={() => start.mutate({ cleaningId: task.cleaningId })}
                      >
                        Start
                      </button>
                    )}
                    <button
                      type="button"
                      className="primary"
                      aria-label={`Complete ${place(task)}`}
                      onClick={() =>
                        mutateThen(
                          complete,
                          { cleaningId: task.cleaningId },
                          { onSuccess: () => setNotice(`${place(task)}: clean, available again.`) },
                        )
                      }
                    >
                      Complete
                    </button>
                    {(task.type === 'Routine' || task.type === 'Deep') && (
                      <button type="button" aria-label={`Skip ${place(task)}`} onClick={() => setSkipping(task)}>
                        Skip
                      </button>
                    )}
                  </span>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {queue.data && open.length === 0 && <p className="empty">Nothing to clean.</p>}
      <h2>Done today</h2>
      {queue.data?.closedToday.length === 0 ? (
        <p className="empty">Nothing closed yet today.</p>
      ) : (
        <table className="data-table" aria-label="Cleaning closed today">
          <thead>
            <tr>
              <th>Room</th>
              <th>Kind</th>
              <th>Closed</th>
              <th>Outcome</th>
              <th>By</th>
            </tr>
          </thead>
          <tbody>
            {queue.data?.closedToday.map((task) => (
              <tr key={task.cleaningId}>
                <td>{place(task)}</td>
                <td>{task.type}</td>
                <td>{time(task.completedAt)}</td>
                <td>{task.status === 'Skipped' ? `Skipped: ${task.skipReason ?? ''}` : 'Done'}</td>
                <td>{task.staffName ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function SkipForm({ task, onDone, onCancel }: { task: CleaningTask; onDone(): void; onCancel(): void }) {
  const [reason, setReason] = useState('');
  const skip = useSkipTask();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutateThen(skip, { cleaningId: task.cleaningId, reason }, { onSuccess: onDone });
  };
  return (
    <form className="skip-form" onSubmit={submit} aria-label={`Skip ${place(task)}`}>
      <label>
        Why skip {place(task)}?
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={300} autoFocus />
      </label>
      <button type="submit" className="primary" disabled={skip.isPending}>
        Skip
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <FormError error={skip.error} />
    </form>
  );
}
