import { useState } from 'react';
import type { Department, Room, RoomType } from '../../../contract/index.js';
import { DEPARTMENT_KINDS, ROOM_STATUSES } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { useReferenceSave } from './queries.js';
import { mutateThen } from '../client/channel-query.js';

// One row per record, edited in place: the row's inputs, then Save. Validation is the contract's
// (the same as the database's CHECKs); a refusal is shown under the table.

export function RoomTypesTable({ roomTypes, onSaved }: { roomTypes: RoomType[]; onSaved(message: string): void }) {
  const save = useReferenceSave('reference/save-room-type');
  return (
    <section aria-labelledby="ref-room-types">
      <h2 id="ref-room-types">Room types and daily rates</h2>
      <table className="data-table" aria-labelledby="ref-room-types">
        <thead>
          <tr>
            <th>Name</th>
            <th>Description</th>
            <th>Daily rate</th>
            <th>Rooms</th>
            <th>
              <span className="visually-hidden">Save</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {roomTypes.map((t) => (
            <RoomTypeRow
              key={t.roomTypeId}
              type={t}
              onSave={(input) => mutateThen(save, input, { onSuccess: () => onSaved(`${input.typeName} saved.`) })}
            />
          ))}
        </tbody>
      </table>
      <FormError error={save.error} />
    </section>
  );
}

function RoomTypeRow({ type, onSave }: { type: RoomType; onSave(input: Omit<RoomType, 'rooms'>): void }) {
  const [rate, setRate] = useState(type.dailyRate);
  const [description, setDescription] = useState(type.description ?? '');
  return (
    <tr>
      <td>{type.typeName}</td>
      <td>
        <input
          aria-label={`Description of ${type.typeName}`}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          maxLength={500}
        />
      </td>
      <td>
        <input
          className="narrow"
          aria-label={`Daily rate of ${type.typeName}`}
          value={rate}
          onChange={(e) => setRate(e.target.value)}
          inputMode="decimal"
        />
      </td>
      <td>{type.rooms}</td>
      <td>
        <button
          type="button"
          aria-label={`Save ${type.typeName}`}
          onClick={() =>
            onSave({ roomTypeId: type.roomTypeId, typeName: type.typeName, description: description.trim() || null, dailyRate: rate })
          }
        >
          Save
        </button>
      </td>
    </tr>
  );
}

export function DepartmentsTable({ departments, onSaved }: { departments: Department[]; onSaved(message: string): void }) {
  const save = useReferenceSave('reference/save-department');
  return (
    <section aria-labelledby="ref-departments">
      <h2 id="ref-departments">Departments and consultation fees</h2>
      <table className="data-table" aria-labelledby="ref-departments">
        <thead>
          <tr>
            <th>Name</th>
            <th>Code</th>
            <th>Kind</th>
            <th>Consultation fee</th>
            <th>Active</th>
            <th>
              <span className="visually-hidden">Save</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {departments.map((d) => (
            <DepartmentRow
              key={d.departmentId}
              department={d}
              onSave={(input) => mutateThen(save, input, { onSuccess: () => onSaved(`${input.name} saved.`) })}
            />
          ))}
        </tbody>
      </table>
      <FormError error={save.error} />
    </section>
  );
}

function DepartmentRow({ department, onSave }: { department: Department; onSave(input: Omit<Department, 'rooms'>): void }) {
  const [fee, setFee] = useState(department.consultationFee);
  const [kind, setKind] = useState(department.kind);
  const [active, setActive] = useState(department.isActive);
  const { rooms: _rooms, ...rest } = department;
  return (
    <tr>
      <td>{department.name}</td>
      <td>{department.code}</td>
      <td>
        <select aria-label={`Kind of ${department.name}`} value={kind} onChange={(e) => setKind(e.target.value as Department['kind'])}>
          {DEPARTMENT_KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </td>
      <td>
        <input
          className="narrow"
          aria-label={`Consultation fee of ${department.name}`}
          value={fee}
          onChange={(e) => setFee(e.target.value)}
          inputMode="decimal"
        />
      </td>
      <td>
        <input type="checkbox" aria-label={`${department.name} active`} checked={active} onChange={(e) => setActive(e.target.checked)} />
      </td>
      <td>
        <button
          type="button"
          aria-label={`Save ${department.name}`}
          onClick={() => onSave({ ...rest, kind, consultationFee: fee, isActive: active })}
        >
          Save
        </button>
      </td>
    </tr>
  );
}

export function RoomsTable({
  rooms,
  roomTypes,
  departments,
  onSaved,
}: {
  rooms: Room[];
  roomTypes: RoomType[];
  departments: Department[];
  onSaved(message: string): void;
}) {
  const save = useReferenceSave('reference/save-room');
  return (
    <section aria-labelledby="ref-rooms">
      <h2 id="ref-rooms">Rooms and beds</h2>
      <table className="data-table" aria-labelledby="ref-rooms">
        <thead>
          <tr>
            <th>Room</th>
            <th>Department</th>
            <th>Type</th>
            <th>Beds</th>
            <th>State</th>
            <th>
              <span className="visually-hidden">Save</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rooms.map((r) => (
            <RoomRow
              key={r.roomId}
              room={r}
              roomTypes={roomTypes}
              departmentName={departments.find((d) => d.departmentId === r.departmentId)?.name ?? ''}
              onSave={(input) => mutateThen(save, input, { onSuccess: () => onSaved(`Room ${input.roomNumber} saved.`) })}
            />
          ))}
        </tbody>
      </table>
      <FormError error={save.error} />
    </section>
  );
}

function RoomRow({
  room,
  roomTypes,
  departmentName,
  onSave,
}: {
  room: Room;
  roomTypes: RoomType[];
  departmentName: string;
  onSave(input: Room): void;
}) {
  const [roomTypeId, setRoomTypeId] = useState(room.roomTypeId);
  const [beds, setBeds] = useState(String(room.bedCount));
  const [status, setStatus] = useState(room.status);
  return (
    <tr>
      <td>{room.roomNumber}</td>
      <td>{departmentName}</td>
      <td>
        <select aria-label={`Type of room ${room.roomNumber}`} value={roomTypeId} onChange={(e) => setRoomTypeId(Number(e.target.value))}>
          {roomTypes.map((t) => (
            <option key={t.roomTypeId} value={t.roomTypeId}>
              {t.typeName}
            </option>
          ))}
        </select>
      </td>
      <td>
        <input
          className="narrow"
          aria-label={`Beds in room ${room.roomNumber}`}
          value={beds}
          onChange={(e) => setBeds(e.target.value)}
          inputMode="numeric"
        />
      </td>
      <td>
        <select
          aria-label={`State of room ${room.roomNumber}`}
          value={status}
          onChange={(e) => setStatus(e.target.value as Room['status'])}
        >
          {ROOM_STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </td>
      <td>
        <button
          type="button"
          aria-label={`Save room ${room.roomNumber}`}
          onClick={() => onSave({ ...room, roomTypeId, bedCount: Number(beds), status })}
        >
          Save
        </button>
      </td>
    </tr>
  );
}
