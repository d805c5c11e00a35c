import { faker } from '@faker-js/faker';
import type pg from 'pg';
import { seededRandom } from './patient-rows.js';

// Demo data for the hospital's services (issue 12): department fees, an ambulance fleet with a week of
// runs, a cleaning queue, and accounts — seen appointments and finished stays, billed through the
// database's bill_appointment / bill_stay (the one place prices are computed), with full, part and insurance payments, and
// some left unbilled for the billing clerk. Runs inside seedDemoData's transaction, as the demo
// administrator; only into an empty fleet, so a second seed adds nothing.

const FEES: Record<string, string> = { ED: '150.00', GM: '80.00', CAR: '140.00', PAE: '70.00', ORT: '120.00' };
const FLEET = [
  { number: 'AMB-01', level: 'Advanced' },
  { number: 'AMB-02', level: 'Advanced' },
  { number: 'AMB-03', level: 'Basic' },
  { number: 'AMB-04', level: 'Critical' },
  { number: 'AMB-05', level: 'Basic', status: 'Maintenance' },
  { number: 'AMB-06', level: 'Basic', status: 'OutOfService' },
];
const PLACES = ['12 Harbour Road', 'Central Station', 'Riverside School', 'Market Square', '4 Elm Close', 'Sports Centre', 'Hill Farm'];
const MINUTE = 60_000;

export async function seedOperationsDemo(client: pg.PoolClient, adminId: string, today: Date, seed: number): Promise<void> {
  // A database migrated only part of the way (tests of older migrations) has no payments table yet.
  const { rows: schema } = await client.query<{ ready: boolean }>(`SELECT to_regclass('public.payments') IS NOT NULL AS ready`);
  if (!schema[0]?.ready) return;
  const fleet = await client.query(`SELECT 1 FROM ambulance LIMIT 1`);
  if (fleet.rowCount) return;
  faker.seed(seed + 27);
  const random = seededRandom(seed + 27);
  for (const [code, fee] of Object.entries(FEES))
    await client.query(`UPDATE departments SET consultation_fee = $2 WHERE code = $1 AND consultation_fee = 0`, [code, fee]);

  const ed = (await client.query<{ id: number }>(`SELECT department_id AS id FROM departments WHERE code = 'ED'`)).rows[0]?.id ?? null;
  const drivers: number[] = [];
  for (let n = 0; n < 6; n += 1)
    drivers.push(
      (
        await client.query<{ id: number }>(
          `INSERT INTO staff (first_name, last_name, role, department_id) VALUES ($1, $2, $3, $4) RETURNING staff_id AS id`,
          [faker.person.firstName(), faker.person.lastName(), n < 4 ? 'driver' : 'technician', ed],
        )
      ).rows[0]!.id,
    );
  const vehicles: number[] = [];
  for (const [index, v] of FLEET.entries())
    vehicles.push(
      (
        await client.query<{ id: number }>(
          `INSERT INTO ambulance (vehicle_number, equipment_level, status, driver_staff_id) VALUES ($1, $2, $3, $4) RETURNING ambulance_id AS id`,
          [v.number, v.level, v.status ?? 'Available', drivers[index % 4]],
        )
      ).rows[0]!.id,
    );
  const { rows: late } = await client.query<{ patient_id: number }>(`SELECT patient_id FROM patients ORDER BY patient_id DESC LIMIT 60`);
  const patients = late.map((r) => r.patient_id);

  // History is written as the owner without a user context, so the runs and tasks keep their times.
  await client.query(`SELECT set_config('app.current_user_id', '', true)`);
  const midnight = new Date(today.getFullYear(), today.getMonth(), today.getDate()).getTime();
  for (let day = 7; day >= 1; day -= 1) {
    const runs = 3 + Math.floor(random() * 4);
    for (let n = 0; n < runs; n += 1) {
      const dispatched = midnight - day * 24 * 60 * MINUTE + (7 + n * 3 + Math.floor(random() * 2)) * 60 * MINUTE;
      const enRoute = dispatched + (1 + Math.floor(random() * 3)) * MINUTE;
      const arrived = enRoute + (5 + Math.floor(random() * 20)) * MINUTE;
      const returned = arrived + (30 + Math.floor(random() * 60)) * MINUTE;
      await client.query(
        `INSERT INTO ambulance_log (ambulance_id, patient_id, pickup_location, destination, dispatched_at, en_route_at, arrived_at,
                                    returned_at, status, dispatched_by, driver_staff_id, attendant_staff_id)
         VALUES ($1, $2, $3, 'Emergency department', $4, $5, $6, $7, 'Returned', $8, $9, $10)`,
        [
          vehicles[n % 4],
          random() < 0.6 ? patients[(day * 7 + n) % patients.length] : null,
          PLACES[(day + n) % PLACES.length],
          new Date(dispatched),
          new Date(enRoute),
          new Date(arrived),
          new Date(returned),
          adminId,
          drivers[n % 4],
          drivers[4 + (n % 2)],
        ],
      );
    }
  }
  // Cleaning: a discharge clean overdue, one due soon, a spill, and last week's done ones.
  const rooms = Object.fromEntries(
    (await client.query<{ room_number: string; room_id: number }>(`SELECT room_number, room_id FROM rooms`)).rows.map((r) => [
      r.room_number,
      r.room_id,
    ]),
  );
  const now = today.getTime();
  const tasks: [string, number | null, string, number, string][] = [
    ['WB-05', 2, 'Discharge', 2 * 60, 'Bed vacated by a discharge'],
    ['WB-06', 1, 'Discharge', 20, 'Bed vacated by a discharge'],
    ['WB-07', null, 'Spill', 10, 'Spill reported by the ward'],
  ];
  for (const [room, bed, type, minutesAgo, notes] of tasks)
    if (rooms[room])
      await client.query(
        `INSERT INTO cleaning_service (room_id, bed_number, cleaning_type, scheduled_at, notes) VALUES ($1, $2, $3, $4, $5)`,
        [rooms[room], bed, type, new Date(now - minutesAgo * MINUTE), notes],
      );
  await client.query(`SELECT set_config('app.current_user_id', $1, true)`, [adminId]);

  await seedAccounts(client, adminId, patients, rooms, midnight, random);
}

/** Past seen appointments and finished stays; most billed and paid in part or in full, some left to bill. */
async function seedAccounts(
  client: pg.PoolClient,
  adminId: string,
  patients: number[],
  rooms: Record<string, number>,
  midnight: number,
  random: () => number,
) {
  if (patients.length < 40) return;
  const { rows: doctors } = await client.query<{ doctor_id: number; department_id: number }>(
    `SELECT doctor_id, department_id FROM doctors WHERE department_id IS NOT NULL ORDER BY doctor_id LIMIT 8`,
  );
  for (let n = 0; n < 24 && doctors.length > 0; n += 1) {
    const doctor = doctors[n % doctors.length]!;
    const day = new Date(midnight - (1 + (n % 20)) * 24 * 60 * MINUTE);
    const { rows } = await client.query<{ appointment_id: number }>(
      `INSERT INTO appointments (patient_id, doctor_id, department_id, appointment_date, appointment_time, status, purpose)
       VALUES ($1, $2, $3, $4, $5, 'Completed', 'Follow-up') RETURNING appointment_id`,
      [patients[n], doctor.doctor_id, doctor.department_id, day.toISOString().slice(0, 10), `${String(9 + (n % 7)).padStart(2, '0')}:00`],
    );
    if (n >= 20) continue; // left for the billing clerk
    await pay(client, await billed(client, `SELECT bill_appointment($1) AS id`, rows[0]!.appointment_id), n);
  }
  const stayRooms = ['WB-02', 'WB-03', 'WB-04', 'WB-09', 'WB-11'].filter((r) => rooms[r]);
  for (let n = 0; n < 10; n += 1) {
    const start = midnight - (40 - n * 3) * 24 * 60 * MINUTE + (10 + n) * 60 * MINUTE;
    const end = start + (1 + Math.floor(random() * 5)) * 24 * 60 * MINUTE + 3 * 60 * MINUTE;
    const { rows } = await client.query<{ assignment_id: number }>(
      `INSERT INTO room_assignments (room_id, patient_id, bed_number, assigned_at, discharged_at, discharge_reason, discharge_destination, assigned_by)
       VALUES ($1, $2, 1, $3, $4, 'Recovered', 'home', $5) RETURNING assignment_id`,
      [rooms[stayRooms[n % stayRooms.length]!], patients[30 + n], new Date(start), new Date(end), adminId],
    );
    if (n >= 8) continue;
    await pay(client, await billed(client, `SELECT bill_stay($1) AS id`, rows[0]!.assignment_id), n + 1);
  }
  for (let n = 0; n < 4; n += 1)
    await client.query(
      `INSERT INTO billing (patient_id, description, amount, quantity, unit_price, created_by) VALUES ($1, 'Dressing pack', 12.50, 1, 12.50, $2)`,
      [patients[n], adminId],
    );
}

/** Bills through the database's own pricing (bill_appointment / bill_stay, migration 027). */
const billed = async (client: pg.PoolClient, text: string, id: number) =>
  (await client.query<{ id: number | null }>(text, [id])).rows[0]?.id ?? null;

/** Every third bill paid in full by card, every third in part in cash, some by insurance, the rest not yet. */
async function pay(client: pg.PoolClient, billId: number | null, n: number) {
  if (billId === null) return;
  const pays = (amount: string, method: string, reference: string | null) =>
    client.query(
      `INSERT INTO payments (bill_id, amount, method, reference, received_by)
       SELECT bill_id, COALESCE($2::numeric, amount), $3, $4, app_current_user_id() FROM billing WHERE bill_id = $1 AND amount > 0`,
      [billId, amount === 'all' ? null : amount, method, reference],
    );
  if (n % 3 === 0) await pays('all', 'card', `CARD-${1000 + n}`);
  else if (n % 3 === 1) await pays('20.00', 'cash', null);
  else if (n % 6 === 2) await pays('all', 'insurance', `CLAIM-${5000 + n}`);
}
