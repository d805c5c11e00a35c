import { sql, type Kysely } from 'kysely';
import { channels } from '../../contract/channels.js';
import type { Appointment } from '../../contract/schemas.js';
import type { Database } from '../db/database.js';
import { findDoctorsWithHours } from '../repositories/appointments.repository.js';
import { checkSlot } from '../services/scheduling-service.js';
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
  const requests: { entry: OutboxEntry; patientId: number; doctorId: number; date: string; time: string; purpose: string | null; ord: number }[] = [];
  for (const [ord, entry] of run.entries()) {
    const parsed = spec.input.safeParse(await boundInput(trx, entry, serverIds).catch(() => null));
    if (!parsed.success) return null;
    const { patientId, doctorId, slot, purpose } = parsed.data;
    requests.push({ entry, patientId, doctorId, date: slot.date, time: slot.time, purpose, ord });
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
  const rows = requests.map((r) => {
    const doctor = doctors.get(r.doctorId)!;
    return { ord: r.ord, patient_id: r.patientId, doctor_id: r.doctorId, department_id: doctor.departmentId, appointment_date: r.date, appointment_time: r.time, duration_minutes: doctor.slotMinutes, purpose: r.purpose };
  });
  const inserted = await sql<Appointment>`
    WITH a AS (
      INSERT INTO appointments (patient_id, doctor_id, department_id, appointment_date, appointment_time, duration_minutes, purpose, created_by)
      SELECT r.patient_id, r.doctor_id, r.department_id, r.appointment_date, r.appointment_time, r.duration_minutes, r.purpose, ${actor}::uuid
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        AS r(ord int, patient_id int, doctor_id int, department_id int, appointment_date date, appointment_time time, duration_minutes int, purpose text)
      ORDER BY r.ord
      ON CONFLICT DO NOTHING
      RETURNING *)
    SELECT a.appointment_id AS "appointmentId", a.patient_id AS "patientId", p.last_name || ', ' || p.first_name AS "patientName",
           p.date_of_birth AS "patientDateOfBirth", a.doctor_id AS "doctorId", 'Dr ' || d.first_name || ' ' || d.last_name AS "doctorName",
           a.appointment_date AS "date", to_char(a.appointment_time, 'HH24:MI') AS "time", a.duration_minutes AS "durationMinutes",
           a.purpose, a.status, a.cancel_reason AS "cancelReason"
    FROM a LEFT JOIN patients p ON p.patient_id = a.patient_id LEFT JOIN doctors d ON d.doctor_id = a.doctor_id`.execute(trx);
  // A row the clerk may not see (row level security) must not be half-told: the careful path decides.
  if (inserted.rows.some((a) => a.patientName === null || a.doctorName === null)) return null;
  // A doctor holds one appointment per start time, so (doctor, date, time) names each inserted row.
  const slotKey = (doctorId: number, date: string, time: string) => `${doctorId} ${date} ${time}`;
  const byRequest = new Map(inserted.rows.map((a) => [slotKey(a.doctorId, a.date, a.time), a]));
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
  if (!(await storeResults(trx, applied.map((a) => ({ entry: entries.get(a.key)!, status: 'applied' as const, result: a.value }))))) return null;
  return { applied, clashed };
}
