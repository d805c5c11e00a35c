import type { Appointment, PatientSearchResult } from '../../../contract/index.js';
import type { OutboxEntry } from './outbox.js';
import type { WorkingSet } from './working-set.js';

/**
 * The book as this terminal sees it offline: the working set taken from the server, with this
 * terminal's waiting changes laid over it in order. Rebuilt from the outbox after a restart, so
 * what the clerk was told was saved is what they see.
 */
export interface LocalView extends WorkingSet {
  /** Which waiting change (its key) created each provisional patient and appointment id. */
  originOfPatient: Map<number, string>;
  originOfAppointment: Map<number, string>;
}

const EMPTY_SET: WorkingSet = {
  id: '',
  builtAt: new Date(0).toISOString(),
  from: '1970-01-01',
  days: 0,
  doctors: [],
  appointments: [],
  patients: [],
};

export function buildLocalView(set: WorkingSet | null, entries: OutboxEntry[]): LocalView {
  const base = set ?? EMPTY_SET;
  const patients = [...base.patients];
  const appointments = [...base.appointments];
  const originOfPatient = new Map<number, string>();
  const originOfAppointment = new Map<number, string>();
  const patientName = (id: number) => {
    const p = patients.find((x) => x.patientId === id);
    return p
      ? { patientName: `${p.lastName}, ${p.firstName}`, patientDateOfBirth: p.dateOfBirth }
      : { patientName: 'Unknown patient', patientDateOfBirth: '1900-01-01' };
  };
  const update = (id: number, change: Partial<Appointment>) => {
    const i = appointments.findIndex((a) => a.appointmentId === id);
    if (i >= 0) appointments[i] = { ...appointments[i]!, ...change, queued: true };
  };

  for (const entry of entries) {
    const input = entry.input as Record<string, unknown>;
    switch (entry.channel) {
      case 'patients/register-patient': {
        if (entry.provisionalId === undefined) break;
        const p = input as {
          firstName: string;
          lastName: string;
          dateOfBirth: string;
          gender?: string | null;
          contactNumber?: string | null;
          email?: string | null;
          address?: string | null;
        };
        const patient: PatientSearchResult = {
          patientId: entry.provisionalId,
          firstName: p.firstName,
          lastName: p.lastName,
          dateOfBirth: p.dateOfBirth,
          gender: p.gender ?? null,
          contactNumber: p.contactNumber ?? null,
          email: p.email ?? null,
          departmentId: null,
          address: p.address ?? null,
          match: 'exact',
          queued: true,
        };
        patients.push(patient);
        originOfPatient.set(patient.patientId, entry.key);
        break;
      }
      case 'scheduling/book-appointment': {
        if (entry.provisionalId === undefined) break;
        const b = input as { patientId: number; doctorId: number; slot: { date: string; time: string }; purpose?: string | null };
        const doctor = base.doctors.find((d) => d.doctorId === b.doctorId);
        appointments.push({
          appointmentId: entry.provisionalId,
          patientId: b.patientId,
          ...patientName(b.patientId),
          doctorId: b.doctorId,
          doctorName: doctor?.name ?? 'Unknown doctor',
          date: b.slot.date,
          time: b.slot.time,
          durationMinutes: doctor?.slotMinutes ?? 15,
          purpose: b.purpose ?? null,
          status: 'Scheduled',
          cancelReason: null,
          queued: true,
        });
        originOfAppointment.set(entry.provisionalId, entry.key);
        break;
      }
      case 'scheduling/reschedule-appointment': {
        const r = input as { appointmentId: number; slot: { date: string; time: string } };
        update(r.appointmentId, { date: r.slot.date, time: r.slot.time });
        break;
      }
      case 'scheduling/cancel-appointment': {
        const c = input as { appointmentId: number; reason: string };
        update(c.appointmentId, { status: 'Cancelled', cancelReason: c.reason });
        break;
      }
      case 'scheduling/set-appointment-status': {
        const s = input as { appointmentId: number; status: Appointment['status'] };
        update(s.appointmentId, { status: s.status });
        break;
      }
    }
  }
  return { ...base, patients, appointments, originOfPatient, originOfAppointment };
}
