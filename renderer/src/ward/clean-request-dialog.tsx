import { useState } from 'react';
import type { Bed } from '../../../contract/index.js';
import { mutateThen } from '../client/channel-query.js';
import { FormError } from '../ui/form-error.js';
import { submitFromSelect } from './bed-dialogs.js';
import { useRequestCleaning } from './queries.js';
import { WardDialog } from './ward-dialog.js';
import { CLEAN_REQUEST_KINDS, cleanRequestKindOf, type CleanRequestKind } from '../housekeeping/index.js';

/** Ask housekeeping for a clean at this bed (or its whole room): a spill, isolation or deep clean. */
export function CleanRequestDialog({ bed, onDone, onClose }: { bed: Bed; onDone(text: string): void; onClose(): void }) {
  const ask = useRequestCleaning();
  const [kind, setKind] = useState<CleanRequestKind>('Spill');
  const [wholeRoom, setWholeRoom] = useState(false);
  const [notes, setNotes] = useState('');
  const where = wholeRoom ? `room ${bed.roomNumber}` : `bed ${bed.roomNumber}/${bed.bedNumber}`;
  return (
    <WardDialog title={`Ask for a clean at bed ${bed.roomNumber}/${bed.bedNumber}`} onClose={onClose}>
      <form
        className="field-grid"
        onKeyDown={submitFromSelect}
        onSubmit={(e) => {
          e.preventDefault();
          mutateThen(
            ask,
            {
              roomId: bed.roomId,
              type: kind,
              ...(wholeRoom ? {} : { bedNumber: bed.bedNumber }),
              ...(notes.trim() ? { notes: notes.trim() } : {}),
            },
            { onSuccess: () => onDone(`${kind} clean asked for ${where}: housekeeping has it in their queue.`) },
          );
        }}
      >
        <label htmlFor="clean-kind">Kind</label>
        <select id="clean-kind" autoFocus value={kind} onChange={(e) => setKind(cleanRequestKindOf(e.target.value))}>
          {CLEAN_REQUEST_KINDS.map((k) => (
            <option key={k.type} value={k.type}>
              {k.label}
            </option>
          ))}
        </select>
        <label htmlFor="clean-whole-room">Whole room</label>
        <input
          id="clean-whole-room"
          type="checkbox"
          checked={wholeRoom}
          onChange={(e) => setWholeRoom(e.target.checked)}
          aria-describedby="clean-whole-room-hint"
        />
        <p id="clean-whole-room-hint" className="muted span-2">
          {wholeRoom ? "Until it is done, none of the room's free beds can be given." : 'Only this bed is held until it is done.'}
        </p>
        <label htmlFor="clean-notes">Notes</label>
        <input
          id="clean-notes"
          value={notes}
          maxLength={300}
          onChange={(e) => setNotes(e.target.value)}
          placeholder="What and where, for the cleaner"
        />
        <FormError error={ask.error} />
        <span className="row-actions span-2">
          <button type="submit" className="primary" disabled={ask.isPending}>
            Ask for it (Enter)
          </button>
          <button type="button" className="link-button" onClick={onClose}>
            Back (Esc)
          </button>
        </span>
      </form>
    </WardDialog>
  );
}
