import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Note } from '../../../contract/index.js';
import { useCan } from '../session/index.js';
import { FormError } from '../ui/form-error.js';
import { MarTable } from './mar-table.js';
import { shortTime } from './news2-display.js';
import { useAddNote, wardQueries } from './queries.js';
import { mutateThen } from '../client/channel-query.js';

/** The chart's medicines (this patient's MAR) and notes. */
export function ChartExtras({ patientId }: { patientId: number }) {
  const canRecord = useCan('medical_records.write');
  const mar = useQuery(wardQueries.patientMar(patientId));
  const patient = mar.data?.patients.find((p) => p.patientId === patientId);
  return (
    <>
      <section aria-labelledby="chart-mar-title">
        <h3 id="chart-mar-title">Medicines (last and next 24 hours)</h3>
        {mar.isError && <FormError error={mar.error} />}
        {mar.data &&
          (patient ? <MarTable mar={mar.data} patient={patient} canRecord={canRecord} /> : <p className="muted">No verified medicines.</p>)}
      </section>
      <Notes patientId={patientId} canWrite={canRecord} />
    </>
  );
}

/** Append-only notes: a correction is a new note that marks the old one entered in error. */
function Notes({ patientId, canWrite }: { patientId: number; canWrite: boolean }) {
  const notes = useQuery(wardQueries.notes(patientId));
  const add = useAddNote();
  const [text, setText] = useState('');
  const [correcting, setCorrecting] = useState<Note | null>(null);
  return (
    <section aria-labelledby="notes-title" className="notes">
      <h3 id="notes-title">Notes</h3>
      {canWrite && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            mutateThen(
              add,
              { patientId, text, ...(correcting ? { correctsNoteId: correcting.noteId } : {}) },
              {
                onSuccess: () => {
                  setText('');
                  setCorrecting(null);
                },
              },
            );
          }}
        >
          <label htmlFor="note-text">
            {correcting ? `Correction of the note of ${shortTime(correcting.writtenAt)} (it will be marked entered in error)` : 'New note'}
          </label>
          <textarea id="note-text" rows={3} maxLength={4000} value={text} onChange={(e) => setText(e.target.value)} />
          <FormError error={add.error} />
          <span className="row-actions">
            <button type="submit" className="primary" disabled={add.isPending}>
              {correcting ? 'Save correction' : 'Add note'}
            </button>
            {correcting && (
              <button type="button" className="link-button" onClick={() => setCorrecting(null)}>
                Not a correction
              </button>
            )}
          </span>
        </form>
      )}
      {notes.isError && <FormError error={notes.error} />}
      <ul className="note-list">
        {notes.data?.map((n) => (
          <li key={n.noteId} className={n.enteredInError ? 'in-error' : undefined}>
            <span className="muted">
              {shortTime(n.writtenAt)} · {n.author} ({n.kind})
            </span>
            {n.enteredInError && <span className="tag">entered in error</span>}
            <p>{n.text}</p>
            {canWrite && !n.enteredInError && (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setCorrecting(n);
                  setText(n.text);
                }}
              >
                Correct this note
              </button>
            )}
          </li>
        ))}
        {notes.data?.length === 0 && <li className="muted">No notes yet.</li>}
      </ul>
    </section>
  );
}
