import type pg from 'pg';
import type { Frequency } from '../../contract/pharmacy.js';
import { STANDARD_DOSE_TIMES } from '../../contract/ward.js';

// Demo data for the ward round (issue 11): two Ward A patients in WA-11 and WA-12 (the single rooms,
// which the tests leave alone) with verified orders, so the MAR shows given, held, refused, missed,
// late and due doses and a PRN with its next allowed time; vitals for NEWS2, an allergy and a note each.
// Runs inside seedDemoData's transaction as the demo administrator; only once (the beds must be free).

const HOUR = 3_600_000;
/** Doses older than this are charted; the newer ones are left due or late for the demo round. */
const LEFT_OPEN_MS = 90 * 60_000;

interface Vitals {
  respirationRate: number;
  spo2: number;
  onOxygen: boolean;
  systolicBp: number;
  pulse: number;
  consciousness: string;
  temperature: number;
}
interface DemoOrder {
  generic: string;
  frequency: Frequency;
  dose: [amount: number, unit: string];
}
const PATIENTS: {
  room: string;
  reason: string;
  days: number;
  orders: DemoOrder[];
  allergy: string;
  vitals: Vitals;
  /** NEWS2 of these vitals as main/ward/news2.ts scores them (tests/ward/ward-demo.test.ts checks it). */
  news2: { score: number; response: string; singleThree: boolean };
}[] = [
  {
    room: 'WA-11',
    reason: 'Community-acquired pneumonia',
    days: 3,
    allergy: 'ibuprofen',
    vitals: {
      respirationRate: 22,
      spo2: 94,
      onOxygen: true,
      systolicBp: 104,
      pulse: 98,
      consciousness: 'A',
      temperature: 38.4,
    },
    news2: { score: 8, response: 'high', singleThree: false },
    orders: [
      { generic: 'amoxicillin', frequency: { code: 'TDS' }, dose: [500, 'mg'] },
      { generic: 'acetaminophen', frequency: { code: 'QDS' }, dose: [1, 'g'] },
      { generic: 'enoxaparin', frequency: { code: 'OD' }, dose: [40, 'mg'] },
      { generic: 'morphine sulfate', frequency: { code: 'PRN', minIntervalHours: 4, maxPer24h: 4 }, dose: [5, 'mg'] },
    ],
  },
  {
    room: 'WA-12',
    reason: 'Fractured neck of femur, awaiting theatre',
    days: 1,
    allergy: 'codeine',
    vitals: {
      respirationRate: 16,
      spo2: 97,
      onOxygen: false,
      systolicBp: 128,
      pulse: 76,
      consciousness: 'A',
      temperature: 36.9,
    },
    news2: { score: 0, response: 'low', singleThree: false },
    orders: [
      { generic: 'omeprazole', frequency: { code: 'OD' }, dose: [20, 'mg'] },
      { generic: 'ondansetron', frequency: { code: 'QxH', intervalHours: 8 }, dose: [4, 'mg'] },
      { generic: 'metformin', frequency: { code: 'BD' }, dose: [500, 'mg'] },
    ],
  },
];

export async function seedWardDemo(client: pg.PoolClient, adminId: string, today: Date): Promise<void> {
  // A database migrated only part of the way (tests of older migrations) has no MAR yet.
  const { rows: schema } = await client.query<{ ready: boolean }>(
    `SELECT to_regclass('public.medication_administrations') IS NOT NULL AS ready`,
  );
  if (!schema[0]?.ready) return;
  const now = today.getTime();
  const staff = async (email: string) =>
    (await client.query<{ id: string }>(`SELECT user_id AS id FROM users WHERE email = $1`, [email])).rows[0]?.id;
  const nurse = await staff('nurse@demo.clinic');
  const witness = await staff('pharmacist@demo.clinic');
  if (!nurse || !witness) return;
  for (const [index, demo] of PATIENTS.entries()) {
    const room = await client.query<{ room_id: number; department_id: number }>(
      `SELECT r.room_id, r.department_id FROM rooms r WHERE r.room_number = $1
         AND NOT EXISTS (SELECT 1 FROM room_assignments ra WHERE ra.room_id = r.room_id AND ra.discharged_at IS NULL)`,
      [demo.room],
    );
    if (!room.rows[0]) continue;
    const { rows: found } = await client.query<{ patient_id: number }>(
      `SELECT p.patient_id FROM patients p
       WHERE p.department_id = $1 AND NOT EXISTS (SELECT 1 FROM room_assignments ra WHERE ra.patient_id = p.patient_id)
       ORDER BY p.patient_id OFFSET $2 LIMIT 1`,
      [room.rows[0].department_id, 20 + index],
    );
    if (!found[0]) continue;
    const patientId = found[0].patient_id;
    await client.query(
      `INSERT INTO room_assignments (room_id, patient_id, bed_number, assigned_at, assigned_by, notes) VALUES ($1, $2, 1, $3, $4, $5)`,
      [room.rows[0].room_id, patientId, new Date(now - demo.days * 24 * HOUR), adminId, demo.reason],
    );
    await client.query(
      `INSERT INTO patient_allergies (patient_id, substance, match_kind, reaction, severity, recorded_by) VALUES ($1, $2, 'generic', 'rash', 'moderate', $3)`,
      [patientId, demo.allergy, nurse],
    );
    const { news2 } = demo;
    await client.query(
      `INSERT INTO observations (patient_id, taken_at, recorded_by, respiration_rate, spo2, spo2_scale, on_oxygen, systolic_bp, pulse,
         consciousness, temperature, news2_score, news2_response, news2_single_three)
       VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        patientId,
        new Date(now - 2 * HOUR),
        nurse,
        demo.vitals.respirationRate,
        demo.vitals.spo2,
        demo.vitals.onOxygen,
        demo.vitals.systolicBp,
        demo.vitals.pulse,
        demo.vitals.consciousness,
        demo.vitals.temperature,
        news2.score,
        news2.response,
        news2.singleThree,
      ],
    );
    await client.query(
      `INSERT INTO medical_records (patient_id, note_kind, notes, created_by, record_date) VALUES ($1, 'nursing', $2, $3, $4)`,
      [
        patientId,
        `Admitted with ${demo.reason.toLowerCase()}. Settled, eating and drinking. Family informed.`,
        nurse,
        new Date(now - 6 * HOUR),
      ],
    );
    for (const [o, order] of demo.orders.entries())
      await seedOrder(client, { patientId, order, orderIndex: o, patientIndex: index, now, nurse, witness });
  }
}

async function seedOrder(
  client: pg.PoolClient,
  a: { patientId: number; order: DemoOrder; orderIndex: number; patientIndex: number; now: number; nurse: string; witness: string },
) {
  const { rows: medicine } = await client.query<{ medicine_id: number; is_controlled: boolean }>(
    `SELECT medicine_id, is_controlled FROM medicine WHERE generic_name = $1 AND is_active ORDER BY medicine_id LIMIT 1`,
    [a.order.generic],
  );
  if (!medicine[0]) return;
  const f = a.order.frequency;
  const startsAt = new Date(a.now - 2 * 24 * HOUR);
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO prescriptions (patient_id, medicine_id, dosage, dose_amount, dose_unit, route, frequency_code, interval_hours,
       prn_min_interval_hours, prn_max_per_24h, quantity, prescribed_at, status)
     VALUES ($1, $2, $3, $4, $5, 'oral', $6, $7, $8, $9, 30, $10, 'Verified') RETURNING prescription_id AS id`,
    [
      a.patientId,
      medicine[0].medicine_id,
      `${a.order.dose[0]} ${a.order.dose[1]}`,
      a.order.dose[0],
      a.order.dose[1],
      f.code,
      f.code === 'QxH' ? f.intervalHours : null,
      f.code === 'PRN' ? f.minIntervalHours : null,
      f.code === 'PRN' ? f.maxPer24h : null,
      startsAt,
    ],
  );
  const prescriptionId = rows[0]!.id;
  const record = (at: Date, outcome: string, reason: string | null) =>
    client.query(
      `INSERT INTO medication_administrations (prescription_id, patient_id, scheduled_for, outcome, reason, dose_amount, dose_unit, recorded_by, witnessed_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        prescriptionId,
        a.patientId,
        at,
        outcome,
        reason,
        a.order.dose[0],
        a.order.dose[1],
        a.nurse,
        medicine[0]!.is_controlled && outcome === 'given' ? a.witness : null,
        new Date(at.getTime() + 10 * 60_000),
      ],
    );
  if (f.code === 'PRN') {
    await record(new Date(a.now - 3 * HOUR), 'given', null);
    return;
  }
  const past = await pastDoseTimes(client, f, startsAt, new Date(a.now - 24 * HOUR), new Date(a.now - LEFT_OPEN_MS));
  for (const [i, at] of past.entries()) {
    const fromLast = past.length - 1 - i;
    // One missed (the first order's dose before last), one held, one refused; the rest given.
    if (a.orderIndex === 0 && a.patientIndex === 0 && fromLast === 1) continue;
    if (a.orderIndex === 0 && a.patientIndex === 1 && fromLast === 0) await record(at, 'held', 'Nil by mouth before theatre');
    else if (a.orderIndex === 1 && a.patientIndex === 1 && fromLast === 0)
      await record(at, 'refused', 'Felt sick, declined; doctor informed');
    else await record(at, 'given', null);
  }
}

/** The order's standard (or every-N-hours) times in [from, to), in the zone main runs in (the hospital's). */
async function pastDoseTimes(client: pg.PoolClient, f: Frequency, startsAt: Date, from: Date, to: Date): Promise<Date[]> {
  if (f.code === 'QxH') {
    const times: Date[] = [];
    for (let t = startsAt.getTime(); t < to.getTime(); t += f.intervalHours * HOUR) if (t >= from.getTime()) times.push(new Date(t));
    return times;
  }
  if (f.code === 'PRN' || f.code === 'STAT') return [];
  const { rows } = await client.query<{ at: Date }>(
    `SELECT (d::date + make_interval(mins => m)) AT TIME ZONE $3 AS at
     FROM generate_series(($1::timestamptz AT TIME ZONE $3)::date - 1, ($2::timestamptz AT TIME ZONE $3)::date + 1, interval '1 day') AS d,
          unnest($4::int[]) AS m
     WHERE (d::date + make_interval(mins => m)) AT TIME ZONE $3 >= $1 AND (d::date + make_interval(mins => m)) AT TIME ZONE $3 < $2
     ORDER BY 1`,
    [from, to, Intl.DateTimeFormat().resolvedOptions().timeZone, STANDARD_DOSE_TIMES[f.code]],
  );
  return rows.map((r) => r.at);
}
