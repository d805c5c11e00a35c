// Shared arrangements for the ward tests: a test database with demo data, the real core, a second
// nurse of Ward A (for the races), fresh registered patients, and helpers that call through the one door.
import type { ChannelInput, ChannelKey } from '../../contract/index.js';
import { createCoreHarness } from '../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

export interface WardWorld {
  database: TestDatabase;
  harness: ReturnType<typeof createCoreHarness>;
  /** room_number → room_id of Ward A (WA-01…WA-12) and Ward B. */
  rooms: Record<string, number>;
  departments: Record<string, number>;
  newPatient: (lastName: string) => Promise<number>;
  call: <C extends ChannelKey>(
    sender: string,
    channel: C,
    input: ChannelInput<C>,
  ) => ReturnType<ReturnType<typeof createCoreHarness>['core']['dispatch']>;
  /** Throws with the error's message when the call fails. */
  value: <T>(sender: string, channel: ChannelKey, input: unknown) => Promise<T>;
  ownerCount: (query: string, params?: unknown[]) => Promise<number>;
}

export async function createWardWorld(poolSize = 8): Promise<WardWorld> {
  const database = await createTestDatabase('clinic_demo', poolSize);
  const o = database.ownerPool;
  // A second Ward A nurse with the demo password (the same hash), so two terminals can race.
  const { rows: nurse } = await o.query(
    `INSERT INTO users (email, password_hash, display_name) SELECT 'nurse2@demo.clinic', password_hash, 'Noor Nurse' FROM users WHERE email = 'nurse@demo.clinic' RETURNING user_id`,
  );
  await o.query(`INSERT INTO user_roles (user_id, role_id) SELECT $1, role_id FROM roles WHERE role_name = 'nurse'`, [nurse[0].user_id]);
  await o.query(
    `INSERT INTO staff (user_id, first_name, last_name, role, department_id) SELECT $1, 'Noor', 'Nurse', 'nurse', department_id FROM departments WHERE code = 'WA'`,
    [nurse[0].user_id],
  );
  const rooms = Object.fromEntries(
    (await o.query(`SELECT room_number, room_id FROM rooms`)).rows.map((r: { room_number: string; room_id: number }) => [
      r.room_number,
      r.room_id,
    ]),
  );
  const departments = Object.fromEntries(
    (await o.query(`SELECT code, department_id FROM departments WHERE code IS NOT NULL`)).rows.map(
      (r: { code: string; department_id: number }) => [r.code, r.department_id],
    ),
  );
  const harness = createCoreHarness(database);
  const call = ((sender: string, channel: ChannelKey, input: unknown) =>
    harness.core.dispatch(sender, channel, input)) as WardWorld['call'];
  return {
    database,
    harness,
    rooms,
    departments,
    call,
    value: async <T>(sender: string, channel: ChannelKey, input: unknown) => {
      const result = await harness.core.dispatch(sender, channel, input);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
      return result.value as T;
    },
    // A newly registered patient: no caring department, no appointment, so in nobody's care yet.
    newPatient: async (lastName: string) =>
      (
        await o.query(
          `INSERT INTO patients (first_name, last_name, date_of_birth) VALUES ('Ward', $1, '1950-06-15') RETURNING patient_id`,
          [lastName],
        )
      ).rows[0].patient_id as number,
    ownerCount: async (query: string, params: unknown[] = []) => Number((await o.query(query, params)).rows[0].count),
  };
}
