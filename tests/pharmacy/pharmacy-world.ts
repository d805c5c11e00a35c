// A pharmacy on a real test database, driven through the one door: a doctor, a pharmacist and a
// nurse signed in, and helpers that arrange medicines, lots and orders as the demo administrator.
import { expect } from 'vitest';
import type { ChannelInput, ChannelKey, ChannelOutput, ClinicError } from '../../contract/index.js';
import { hashPassword } from '../../main/auth/password.js';
import { createCoreHarness } from '../support/core-harness.js';
import type { TestDatabase } from '../support/test-database.js';

export const DOCTOR = 'doctor-1';
export const PHARMACIST = 'pharmacist-1';
export const NURSE = 'nurse-1';
export const DESK = 'desk-1';

export async function createPharmacyWorld(database: TestDatabase) {
  const harness = createCoreHarness(database);
  await harness.signIn(DOCTOR, 'doctor@demo.clinic');
  await harness.signIn(PHARMACIST, 'pharmacist@demo.clinic');
  await harness.signIn(NURSE, 'nurse@demo.clinic');
  await harness.signIn(DESK, 'frontdesk@demo.clinic');
  const o = database.ownerPool; // the owner, acting as the demo administrator
  const one = async <T>(text: string, params: unknown[] = []) => Object.values((await o.query(text, params)).rows[0] as object)[0] as T;
  const doctorDepartment = await one<number>(
    `SELECT d.department_id FROM doctors d JOIN users u USING (user_id) WHERE u.email = 'doctor@demo.clinic'`,
  );
  let counter = 0;
  const unique = () => `${Date.now().toString(36)}${(counter += 1)}`;

  /** Calls a channel as `sender`; the value, or throws with the error. */
  async function call<C extends ChannelKey>(sender: string, channel: C, input: ChannelInput<C>) {
    const result = await harness.core.dispatch(sender, channel, input);
    if (!result.ok) throw Object.assign(new Error(`${channel}: ${result.error.code} ${result.error.message}`), { clinic: result.error });
    return result.value as ChannelOutput<C>;
  }
  /** Calls a channel expecting a failure; returns the error. */
  async function refused<C extends ChannelKey>(sender: string, channel: C, input: unknown): Promise<ClinicError> {
    const result = await harness.core.dispatch(sender, channel, input);
    if (result.ok) throw new Error(`${channel} succeeded: ${JSON.stringify(result.value)}`);
    return result.error;
  }

  return {
    harness,
    call,
    refused,
    one,
    /** A patient in the doctor's department, so in the doctor's care. */
    newPatient: (last = 'Patient') =>
      one<number>(
        `INSERT INTO patients (first_name, last_name, date_of_birth, department_id) VALUES ('Rx', $1, '1960-05-01', $2) RETURNING patient_id`,
        [`${last}-${unique()}`, doctorDepartment],
      ),
    newMedicine: (
      m: {
        generic?: string;
        drugClass?: string | null;
        maxDailyDose?: string | null;
        price?: string;
        controlled?: boolean;
        reorderLevel?: number;
      } = {},
    ) =>
      one<number>(
        `INSERT INTO medicine (name, generic_name, strength, unit_price, drug_class, max_daily_dose, dose_unit, is_controlled, reorder_level)
         VALUES ($1, $2, '10 mg', $3, $4, $5, 'mg', $6, $7) RETURNING medicine_id`,
        [
          `${m.controlled ? 'Controlamol' : 'Testamol'} ${unique()}`,
          m.generic ?? `testgeneric-${unique()}`,
          m.price ?? '0.50',
          m.drugClass ?? null,
          m.maxDailyDose ?? null,
          m.controlled ?? false,
          m.reorderLevel ?? 0,
        ],
      ),
    /** A user of one role with the demo password (hashed with the app's own argon2 settings). */
    async newUser(role: 'pharmacist' | 'nurse' | 'front_desk' | 'doctor', name = 'Extra') {
      const email = `${role}-${unique()}@test.clinic`.replace('_', '-');
      const userId = await one<string>(`INSERT INTO users (email, password_hash, display_name) VALUES ($1, $2, $3) RETURNING user_id`, [
        email,
        await hashPassword(database.demoPassword),
        `${name} ${role}`,
      ]);
      await o.query(`INSERT INTO user_roles (user_id, role_id) SELECT $1, role_id FROM roles WHERE role_name = $2`, [userId, role]);
      return { userId, email };
    },
    userId: (email: string) => one<string>(`SELECT user_id FROM users WHERE email = $1`, [email]),
    /** The demo password: a witness types it on the same terminal. */
    password: database.demoPassword,
    /** A lot whose stock arrives with a Receive row, as every lot's does. */
    async addLot(medicineId: number, expiryDate: string, quantity: number) {
      const lotNumber = `LOT-${unique()}`;
      const lotId = await one<number>(
        `INSERT INTO medicine_lots (medicine_id, lot_number, expiry_date) VALUES ($1, $2, $3) RETURNING lot_id`,
        [medicineId, lotNumber, expiryDate],
      );
      if (quantity > 0)
        await o.query(
          `INSERT INTO pharmacy (medicine_id, lot_id, transaction_type, quantity, notes) VALUES ($1, $2, 'Receive', $3, 'test')`,
          [medicineId, lotId, quantity],
        );
      return { lotId, lotNumber };
    },
    /** An order already verified (entered by the administrator), to dispense against. */
    verifiedOrder: (patientId: number, medicineId: number, quantity: number, durationDays: number | null = null) =>
      one<number>(
        `INSERT INTO prescriptions (patient_id, medicine_id, dosage, dose_amount, dose_unit, frequency_code, quantity, duration_days, status)
         VALUES ($1, $2, '10 mg OD', 10, 'mg', 'OD', $3, $4, 'Verified') RETURNING prescription_id`,
        [patientId, medicineId, quantity, durationDays],
      ),
    lotStock: (lotId: number) => one<number>(`SELECT quantity_on_hand FROM medicine_lots WHERE lot_id = $1`, [lotId]),
  };
}

export type PharmacyWorld = Awaited<ReturnType<typeof createPharmacyWorld>>;

/** Every lot's stock equals the signed sum of its ledger rows, over the whole database: the lots that differ. */
export async function lotsOutOfStep(database: TestDatabase) {
  const { rows } = await database.ownerPool.query(`
    SELECT l.lot_id, l.quantity_on_hand, COALESCE(sum(p.quantity), 0)::int AS ledger
    FROM medicine_lots l LEFT JOIN pharmacy p ON p.lot_id = l.lot_id
    GROUP BY l.lot_id HAVING l.quantity_on_hand <> COALESCE(sum(p.quantity), 0)`);
  const { rows: count } = await database.ownerPool.query(`SELECT count(*)::int AS n FROM medicine_lots`);
  return { lotsChecked: count[0].n as number, outOfStep: rows };
}

/** After a file that moved stock: every lot equals the signed sum of its ledger rows (printed with the count, asserted). */
export async function expectStockOnLedger(database: TestDatabase) {
  const { lotsChecked, outOfStep } = await lotsOutOfStep(database);
  console.log(`ledger equality: ${lotsChecked} lots checked, ${outOfStep.length} out of step`);
  expect(outOfStep).toEqual([]);
}
