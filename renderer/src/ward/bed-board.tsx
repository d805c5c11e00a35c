import type { Bed, BedBoard as Board, BedState } from '../../../contract/index.js';
import { RESPONSE_SHORT, RESPONSE_WORDS, responseClass, shortTime } from './news2-display.js';
import { bedAt, bedKey, useWard, useWardFocus } from './ward-store.js';

export const STATE_LABEL: Record<BedState, string> = {
  free: 'Free',
  occupied: 'Occupied',
  'to-clean': 'To clean',
  maintenance: 'Maintenance',
  closed: 'Closed',
};

/** Rooms in board order, each with its beds. */
export function roomsOf(board: Board): { roomId: number; roomNumber: string; roomType: string | null; beds: Bed[] }[] {
  const rooms = new Map<number, { roomId: number; roomNumber: string; roomType: string | null; beds: Bed[] }>();
  for (const bed of board.beds) {
    const room = rooms.get(bed.roomId) ?? { roomId: bed.roomId, roomNumber: bed.roomNumber, roomType: bed.roomType, beds: [] };
    room.beds.push(bed);
    rooms.set(bed.roomId, room);
  }
  return [...rooms.values()];
}

/**
 * The ward's rooms as rows of beds. One bed holds the focus (roving tabindex): arrows move across a
 * room and between rooms, Home/End jump, Enter opens the patient (or admits into a free bed).
 */
export function BedBoardGrid({ board, onEnter }: { board: Board; onEnter(bed: Bed): void }) {
  const rooms = roomsOf(board);
  const activeBed = useWard((s) => s.activeBed);
  const set = useWard((s) => s.set);
  const { board: boardRef } = useWardFocus();
  const flat = rooms.flatMap((r) => r.beds);
  // A key from another ward's board (or a bed gone from this one) puts the cursor on the first bed.
  const active = bedAt(flat, activeBed) ?? flat[0];

  function move(event: React.KeyboardEvent) {
    if (!active) return;
    const roomIndex = rooms.findIndex((r) => r.roomId === active.roomId);
    const room = rooms[roomIndex]!;
    const inRoom = room.beds.indexOf(active);
    const at = flat.indexOf(active);
    let next: Bed | undefined;
    if (event.key === 'ArrowRight') next = flat[Math.min(at + 1, flat.length - 1)];
    else if (event.key === 'ArrowLeft') next = flat[Math.max(at - 1, 0)];
    else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const other = rooms[roomIndex + (event.key === 'ArrowDown' ? 1 : -1)];
      next = other ? other.beds[Math.min(inRoom, other.beds.length - 1)] : active;
    } else if (event.key === 'Home') next = flat[0];
    else if (event.key === 'End') next = flat.at(-1);
    else if (event.key === 'Enter') {
      event.preventDefault();
      onEnter(active);
      return;
    } else return;
    event.preventDefault();
    if (next) {
      set({ activeBed: bedKey(next) });
      document.getElementById(`bed-${bedKey(next)}`)?.focus();
    }
  }

  if (flat.length === 0) return <p className="empty">This ward has no beds set up.</p>;
  return (
    <div ref={boardRef} role="grid" aria-label={`Beds of ${board.departmentName}`} className="bed-board" onKeyDown={move}>
      {rooms.map((room) => (
        <div role="row" key={room.roomId} className="bed-room">
          <div role="rowheader" className="room-label">
            Room {room.roomNumber}
            {room.roomType && <span className="muted"> · {room.roomType}</span>}
          </div>
          {room.beds.map((bed) => (
            <BedCell
              key={bedKey(bed)}
              bed={bed}
              active={bed === active}
              onFocus={() => set({ activeBed: bedKey(bed) })}
              onOpen={() => onEnter(bed)}
            />
          ))}
        </div>
      ))}
    </div>
  );
}

function BedCell({ bed, active, onFocus, onOpen }: { bed: Bed; active: boolean; onFocus(): void; onOpen(): void }) {
  const p = bed.patient;
  const news = p?.latestNews2;
  const due = p?.dueNextHour ?? 0;
  return (
    <div
      role="gridcell"
      id={`bed-${bedKey(bed)}`}
      tabIndex={active ? 0 : -1}
      aria-selected={active}
      className={`bed bed-${bed.state}${active ? ' active' : ''}`}
      onFocus={onFocus}
      onDoubleClick={onOpen}
      data-testid="bed"
    >
      <div className="bed-head">
        <span className="bed-number">
          {bed.roomNumber}/{bed.bedNumber}
        </span>
        <span className="bed-state">{STATE_LABEL[bed.state]}</span>
      </div>
      {p && (
        <>
          <div className="bed-patient">{p.name}</div>
          <div className="bed-meta">
            {p.ageYears} y · day {p.daysSinceAdmission + 1}
            {p.hasAllergy && (
              <span className="allergy-flag" title="Allergies recorded">
                {' '}
                ⚠ Allergy
              </span>
            )}
          </div>
          <div className="bed-meta">
            {news ? (
              <span
                className={responseClass(news.response)}
                title={`NEWS2 ${news.score}, ${RESPONSE_WORDS[news.response]}, ${shortTime(news.takenAt)}`}
              >
                NEWS2 {news.score} <span className="news2-level">{RESPONSE_SHORT[news.response]}</span>
                <span className="news2-time"> · {shortTime(news.takenAt)}</span>
              </span>
            ) : (
              <span className="muted">No observations</span>
            )}
            {due > 0 && <span className="due-badge">{due} due next hour</span>}
          </div>
        </>
      )}
    </div>
  );
}
