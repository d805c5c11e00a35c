import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Vehicle } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { ambulanceQueries, useDispatch } from './queries.js';
import { mutateThen } from '../client/channel-query.js';

interface CrewMember {
  staffId: number;
  name: string;
  role: string;
}

/** Dispatch one available vehicle: pickup, destination, the patient when known, crew. */
export function DispatchForm({
  vehicle,
  crew,
  onDone,
  onCancel,
}: {
  vehicle: Vehicle;
  crew: CrewMember[];
  onDone(message: string): void;
  onCancel(): void;
}) {
  const [pickup, setPickup] = useState('');
  const [destination, setDestination] = useState('Emergency department');
  const [patientQuery, setPatientQuery] = useState('');
  const [patient, setPatient] = useState<{ id: number; name: string } | null>(null);
  const [driver, setDriver] = useState('');
  const [attendant, setAttendant] = useState('');
  const [notes, setNotes] = useState('');
  const dispatch = useDispatch();
  const typed = patientQuery.trim();
  const found = useQuery({ ...ambulanceQueries.patientSearch(typed), enabled: typed.length >= 2 && !patient });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutateThen(
      dispatch,
      {
        ambulanceId: vehicle.ambulanceId,
        pickupLocation: pickup,
        destination,
        ...(patient ? { patientId: patient.id } : {}),
        ...(driver ? { driverStaffId: Number(driver) } : {}),
        ...(attendant ? { attendantStaffId: Number(attendant) } : {}),
        ...(notes.trim() ? { notes } : {}),
      },
      { onSuccess: () => onDone(`${vehicle.vehicleNumber} dispatched to ${pickup}.`) },
    );
  };
  return (
    <form className="dispatch-form" onSubmit={submit} aria-label={`Dispatch ${vehicle.vehicleNumber}`}>
      <h2 className="form-title">
        Dispatch {vehicle.vehicleNumber} ({vehicle.equipmentLevel})
      </h2>
      <label>
        Pickup
        <input value={pickup} onChange={(e) => setPickup(e.target.value)} maxLength={255} autoFocus />
      </label>
      <label>
        Destination
        <input value={destination} onChange={(e) => setDestination(e.target.value)} maxLength={255} />
      </label>
      <label>
        Patient (if known)
        <input
          type="search"
          value={patient ? patient.name : patientQuery}
          onChange={(e) => {
            setPatient(null);
            setPatientQuery(e.target.value);
          }}
        />
      </label>
      <label>
        Driver
        <select value={driver} onChange={(e) => setDriver(e.target.value)}>
          <option value="">Not named</option>
          {crew.map((c) => (
            <option key={c.staffId} value={c.staffId}>
              {c.name} ({c.role})
            </option>
          ))}
        </select>
      </label>
      <label>
        Attendant
        <select value={attendant} onChange={(e) => setAttendant(e.target.value)}>
          <option value="">Not named</option>
          {crew.map((c) => (
            <option key={c.staffId} value={c.staffId}>
              {c.name} ({c.role})
            </option>
          ))}
        </select>
      </label>
      <label>
        Notes
        <input value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={500} />
      </label>
      {!patient && typed.length >= 2 && found.data && found.data.length > 0 && (
        <ul className="plain-list" aria-label="Patients found">
          {found.data.map((p) => (
            <li key={p.patientId}>
              <button
                type="button"
                className="list-button"
                onClick={() => setPatient({ id: p.patientId, name: `${p.firstName} ${p.lastName}` })}
              >
                {p.lastName}, {p.firstName} ({p.dateOfBirth})
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={dispatch.isPending}>
          Dispatch {vehicle.vehicleNumber}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <FormError error={dispatch.error} />
    </form>
  );
}
