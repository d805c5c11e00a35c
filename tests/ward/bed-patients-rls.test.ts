// "The patients in my beds" (app_my_bed_patient_ids, migration 051), which lets a nurse read the orders
// of the patients bedded in her ward's rooms: her rooms' beds, whatever else her other roles may read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWardWorld, type WardWorld } from './ward-world.js';

let w: WardWorld;
let nurseId: string;
let inHerWard: number;
let inWardB: number;

beforeAll(async () => {
  w = await createWardWorld();
  const o = w.database.ownerPool;
  nurseId = (await o.query(`SELECT user_id FROM users WHERE email = 'nurse@demo.clinic'`)).rows[0].user_id;
  inHerWard = await w.newPatient('HerBed');
  inWardB = await w.newPatient('OtherWard');
  // A free bed of each ward (no open stay), for a patient bedded there.
  for (const [patientId, code] of [
    [inHerWard, 'WA'],
    [inWardB, 'WB'],
  ] as const)
    await o.query(
      `INSERT INTO room_assignments (room_id, patient_id, bed_number)
       SELECT r.room_id, $1, b FROM rooms r JOIN departments d ON d.department_id = r.department_id, generate_series(1, r.bed_count) AS b
       WHERE d.code = $2 AND r.status = 'Available'
         AND NOT EXISTS (SELECT 1 FROM room_assignments ra WHERE ra.room_id = r.room_id AND ra.bed_number = b AND ra.discharged_at IS NULL)
       ORDER BY r.room_number, b LIMIT 1`,
      [patientId, code],
    );
  const medicineId = (await o.query(`SELECT min(medicine_id) AS id FROM medicine WHERE NOT is_controlled`)).rows[0].id;
  for (const patientId of [inHerWard, inWardB])
    await o.query(
      `INSERT INTO prescriptions (patient_id, medicine_id, dosage, dose_amount, dose_unit, frequency_code, quantity, status)
       VALUES ($1, $2, '1 tablet', 1, 'tablet', 'OD', 7, 'Verified')`,
      [patientId, medicineId],
    );
});
afterAll(() => w.database.drop());

/** What the Ward A nurse's own database session answers (row level security as the app's login). */
async function asNurse(query: string, params: unknown[] = []) {
  const client = await w.database.appPool.connect();
  try {
    await client.query(`BEGIN READ ONLY; SELECT set_config('app.current_user_id', '${nurseId}', true)`);
    return (await client.query(query, params)).rows;
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

const ordersOf = async (patientId: number) =>
  Number((await asNurse(`SELECT count(*) AS n FROM prescriptions WHERE patient_id = $1`, [patientId]))[0].n);

describe("a nurse's bedded patients", () => {
  it('are the patients in the beds of her own rooms: she reads their orders, not those of a patient bedded in another ward', async () => {
    const [{ ids }] = await asNurse(`SELECT app_my_bed_patient_ids() AS ids`);
    expect(ids).toContain(inHerWard);
    expect(ids).not.toContain(inWardB);
    expect(await ordersOf(inHerWard)).toBe(1);
    expect(await ordersOf(inWardB)).toBe(0);
  });

  it("stay her rooms' beds when she also holds a role that reads every stay (billing clerk): her order read does not widen with it", async () => {
    const o = w.database.ownerPool;
    await o.query(`INSERT INTO user_roles (user_id, role_id) SELECT $1, role_id FROM roles WHERE role_name = 'billing_clerk'`, [nurseId]);
    try {
      // As a billing clerk she reads every stay, Ward B's included...
      const stays = await asNurse(`SELECT patient_id FROM room_assignments WHERE discharged_at IS NULL AND patient_id = $1`, [inWardB]);
      expect(stays).toHaveLength(1);
      // ...and her orders are still those of her own beds (before 051 the nurse's rule followed the clerk's reach).
      const [{ ids }] = await asNurse(`SELECT app_my_bed_patient_ids() AS ids`);
      expect(ids).not.toContain(inWardB);
      expect(await ordersOf(inWardB)).toBe(0);
      expect(await ordersOf(inHerWard)).toBe(1);
    } finally {
      await o.query(
        `DELETE FROM user_roles WHERE user_id = $1 AND role_id = (SELECT role_id FROM roles WHERE role_name = 'billing_clerk')`,
        [nurseId],
      );
    }
  });
});
