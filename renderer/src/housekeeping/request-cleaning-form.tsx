import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { mutateThen } from '../client/channel-query.js';
import { FormError } from '../ui/form-error.js';
import { housekeepingQueries, useRequestCleaning } from './queries.js';
import { CLEAN_REQUEST_KINDS, cleanRequestKindOf, type CleanRequestKind } from './clean-request-kinds.js';

/** Ask for a spill, isolation or deep clean of a room or one bed: the room typed by its number, as on its door. */
export function RequestCleaningForm({ onAsked, onClose }: { onAsked(text: string): void; onClose(): void }) {
  const rooms = useQuery(housekeepingQueries.rooms());
  const ask = useRequestCleaning();
  const [roomText, setRoomText] = useState('');
  const [bed, setBed] = useState('');
  const [kind, setKind] = useState<CleanRequestKind>('Spill');
  const [notes, setNotes] = useState('');
  const room = rooms.data?.find((r) => r.roomNumber.toLowerCase() === roomText.trim().toLowerCase()) ?? null;
  const unknownRoom = roomText.trim() !== '' && rooms.data !== undefined && room === null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!room) return;
    const where = `${room.roomNumber}${bed ? ` bed ${bed}` : ' (whole room)'}`;
    mutateThen(
      ask,
      { roomId: room.roomId, type: kind, ...(bed ? { bedNumber: Number(bed) } : {}), ...(notes.trim() ? { notes: notes.trim() } : {}) },
      // The screen closes the form once asked: nothing here to clear.
      { onSuccess: () => onAsked(`${kind} clean asked for ${where}: it is in the queue.`) },
    );
  };

  return (
    <form
      className="request-cleaning field-grid"
      onSubmit={submit}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
      aria-labelledby="request-cleaning-title"
    >
      <h2 id="request-cleaning-title" className="span-2">
        Ask for a clean
      </h2>
      <label htmlFor="request-room">Room number</label>
      <span>
        <input
          id="request-room"
          list="request-room-numbers"
          value={roomText}
          onChange={(e) => (setRoomText(e.target.value), setBed(''))}
          aria-invalid={unknownRoom}
          aria-describedby="request-room-hint"
          autoComplete="off"
          autoFocus
        />
        <datalist id="request-room-numbers">
          {rooms.data?.map((r) => (
            <option key={r.roomId} value={r.roomNumber}>
              {r.departmentName ?? 'No department'}
            </option>
          ))}
        </datalist>
        <span id="request-room-hint" className="muted" aria-live="polite">
          {unknownRoom ? 'No room has this number.' : room ? `${room.departmentName ?? 'No department'}, ${room.bedCount} bed(s)` : ''}
        </span>
      </span>
      <label htmlFor="request-bed">Bed</label>
      <select id="request-bed" value={bed} onChange={(e) => setBed(e.target.value)} disabled={!room}>
        <option value="">Whole room</option>
        {Array.from({ length: room?.bedCount ?? 0 }, (_, i) => (
          <option key={i + 1} value={i + 1}>
            Bed {i + 1}
          </option>
        ))}
      </select>
      <label htmlFor="request-kind">Kind</label>
      <select id="request-kind" value={kind} onChange={(e) => setKind(cleanRequestKindOf(e.target.value))}>
        {CLEAN_REQUEST_KINDS.map((k) => (
          <option key={k.type} value={k.type}>
            {k.label}
          </option>
        ))}
      </select>
      <label htmlFor="request-notes">Notes</label>
      <input
        id="request-notes"
        value={notes}
        onChange={(e) => setNotes(e.target.value)}
        maxLength={300}
        placeholder="What and where, for the cleaner"
      />
      <FormError error={rooms.error ?? ask.error} />
      <span className="row-actions span-2">
        <button type="submit" className="primary" disabled={!room || ask.isPending}>
          Ask for it
        </button>
        <button type="button" className="link-button" onClick={onClose}>
          Close (Esc)
        </button>
      </span>
    </form>
  );
}
