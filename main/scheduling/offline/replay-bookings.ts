import type { Kysely } from 'kysely';
import { channels } from '../../../contract/index.js';
import type { Appointment } from '../../../contract/index.js';
import type { Database } from '../../db/database.js';
import { findDoctorsWithHours, insertAppointmentsSkippingClashes } from '../appointments.repository.js';
import { checkSlot } from '../booking-rules.js';
import type { OutboxEntry } from './outbox.js';
import { boundInput, storeResults } from './replay-store.js';

/**
 * Replays a run of bookings by one user as one INSERT: the exclusion constraints still decide —
 * ON CONFLICT DO NOTHING skips a row that clashes (with the book, or with an earlier row of the
 * run, so the earlier change wins as it would one by one). Returns the applied bookings, and the
 * entries that clashed, which the caller replays one by one to name the clash and offer free slots.
 * Null sends the whole run the careful way (an invalid entry, a missing patient, a race).
 */
export async function replayBookingRun(
  trx: Kysely<Database>,
  run: OutboxEntry[],
  serverIds: Map<string, number>,
  actor: string,
): Promise<{ applied: { key: string; outcome: 'applied'; value: Appointment }[]; clashed: OutboxEntry[] } | null> {
  const spec = channels['scheduling/book-appointment'];
  const requests: { entry: OutboxEntry; patientId: number; doctorId: number; date: string; time: string; purpose: string | null }[] = [];
  for (const entry of run) {
    const parsed = spec.input.safeParse(await boundInput(trx, entry, serverIds).catch(() => null));
    if (!parsed.success) return null;
    const { patientId, doctorId, slot, purpose } = parsed.data;
    requests.push({ entry, patientId, doctorId, date: slot.date, time: slot.time, purpose });
  }
  const doctors = new Map((await findDoctorsWithHours(trx, [...new Set(requests.map((r) => r.doctorId))])).map((d) => [d.doctorId, d]));
  for (const r of requests) {
    const doctor = doctors.get(r.doctorId);
    if (!doctor) return null;
    try {
      checkSlot(doctor, { date: r.date, time: r.time }, new Date(r.entry.createdAt)); // judged when the clerk acted
    } catch {
      return null;
    }
  }
  const inserted = await insertAppointmentsSkippingClashes(
    trx,
    requests.map((r) => {
      const doctor = doctors.get(r.doctorId)!;
      return {
        patient_id: r.patientId,
        doctor_id: r.doctorId,
        department_id: doctor.departmentId,
        appointment_date: r.date,
        appointment_time: r.time,
        duration_minutes: doctor.slotMinutes,
        purpose: r.purpose,
      };
    }),
    actor,
  );
  // A row the clerk may not see (row level security) must not be half-told: the careful path decides.
  if (inserted.some((a) => a.patientName === null || a.doctorName === null)) return null;
  // A doctor holds one appointment per start time, so (doctor, date, time) names each inserted row.
  const slotKey = (doctorId: number, date: string, time: string) => `${doctorId} ${date} ${time}`;
  const byRequest = new Map(inserted.map((a) => [slotKey(a.doctorId, a.date, a.time), a]));
  const applied: { key: string; outcome: 'applied'; value: Appointment }[] = [];
  const clashed: OutboxEntry[] = [];
  const taken = new Set<number>();
  for (const r of requests) {
    const appointment = byRequest.get(slotKey(r.doctorId, r.date, r.time));
    if (appointment && appointment.patientId === r.patientId && !taken.has(appointment.appointmentId)) {
      taken.add(appointment.appointmentId);
      applied.push({ key: r.entry.key, outcome: 'applied', value: spec.output.parse(appointment) });
    } else clashed.push(r.entry);
  }
  const entries = new Map(run.map((e) => [e.key, e]));
  if (
    !(await storeResults(
      trx,
      applied.map((a) => ({ entry: entries.get(a.key)!, status: 'applied' as const, result: a.value })),
    ))
  )
    return null;
  return { applied, clashed };
}
