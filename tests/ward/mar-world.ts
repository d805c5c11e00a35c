// Arrangements for the MAR tests: the ward world on a clock the test sets (08:10 yesterday, hospital time),
// N more Ward A nurses for the races, verified orders entered by the administrator, and counts.
import type { ChannelInput, ChannelKey } from '../../contract/index.js';
import type { Frequency } from '../../contract/pharmacy.js';
import { hospitalTimeZone, instantOf, wallTimeOf } from '../../main/ward/hospital-time.js';
import { createCoreHarness } from '../support/core-harness.js';
import { createWardWorld } from './ward-world.js';

export async function createMarWorld(extraNurses = 0, poolSize = 8) {
  const w = await createWardWorld(poolSize);
  const o = w.database.ownerPool;
  const timeZone = hospitalTimeZone();
  // Yesterday: then every time of the world's day is past for the database too, whose own clock checks
  // some of them (an observation taken after it was recorded is refused), whatever hour the suite runs at.
  const day = wallTimeOf(new Date(Date.now() - 86_400_000), timeZone);
  /** A local time `dayOffset` days from the world's day in the hospital's zone. */
  const local = (dayOffset: number, hour: number, minute = 0) =>
    instantOf(day.year, day.month, day.day + dayOffset, hour * 60 + minute, timeZone);
  let now = local(0, 8, 10);
  const harness = createCoreHarness(w.database, undefined, () => now);
  const nurses: string[] = [];
  for (let i = 0; i < extraNurses; i++) {
    const email = `mar-nurse-${i}@demo.clinic`;
    const { rows } = await o.query(
      `INSERT INTO users (email, password_hash, display_name) SELECT $1, password_hash, $2 FROM users WHERE email = 'nurse@demo.clinic' RETURNING user_id`,
      [email, `Round Nurse ${i}`],
    );
    await o.query(`INSERT INTO user_roles (user_id, role_id) SELECT $1, role_id FROM roles WHERE role_name = 'nurse'`, [rows[0].user_id]);
    await o.query(
      `INSERT INTO staff (user_id, first_name, last_name, role, department_id) SELECT $1, 'Round', $2, 'nurse', department_id FROM departments WHERE code = 'WA'`,
      [rows[0].user_id, `Nurse ${i}`],
    );
    nurses.push(email);
  }
  const one = async <T>(query: string, params: unknown[] = []) => (await o.query(query, params)).rows[0] as T;
  const medicine = (where: string) =>
    one<{ medicine_id: number; name: string; generic_name: string }>(
      `SELECT medicine_id, name, generic_name FROM medicine WHERE is_active AND generic_name IS NOT NULL AND ${where} ORDER BY medicine_id LIMIT 1`,
    );
  const used = new Set<number>();
  const distinctMedicine = async (where: string) => {
    const m = await medicine(`${where} AND medicine_id <> ALL('{${[...used].join(',')}}'::int[])`);
    used.add(m.medicine_id);
    return m;
  };
  return {
    ...w,
    harness,
    nurses,
    timeZone,
    local,
    /** Moves the clock; the idle lock that a jump in time sets is lifted for these senders, as a nurse would. */
    travel: async (d: Date, senders: string[]) => {
      now = d;
      for (const sender of senders) await harness.core.dispatch(sender, 'session/unlock-screen', { password: w.database.demoPassword });
    },
    now: () => now,
    call: <C extends ChannelKey>(sender: string, channel: C, input: ChannelInput<C>) => harness.core.dispatch(sender, channel, input),
    value: async <T>(sender: string, channel: ChannelKey, input: unknown) => {
      const result = await harness.core.dispatch(sender, channel, input);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
      return result.value as T;
    },
    plainMedicine: () => distinctMedicine('NOT is_controlled'),
    controlledMedicine: () => distinctMedicine('is_controlled'),
    /** A verified order (the administrator enters it as the pharmacist would leave it), started three days ago. */
    order: (patientId: number, medicineId: number, frequency: Frequency, startsAt = local(-3, 0)) =>
      one<{ prescription_id: number }>(
        `INSERT INTO prescriptions (patient_id, medicine_id, dosage, dose_amount, dose_unit, frequency_code, interval_hours,
           prn_min_interval_hours, prn_max_per_24h, quantity, prescribed_at, status, verified_by, verified_at)
         VALUES ($1, $2, '1 tablet', 1, 'tablet', $3, $4, $5, $6, 100, $7, 'Verified', app_current_user_id(), $7) RETURNING prescription_id`,
        [
          patientId,
          medicineId,
          frequency.code,
          frequency.code === 'QxH' ? frequency.intervalHours : null,
          frequency.code === 'PRN' ? frequency.minIntervalHours : null,
          frequency.code === 'PRN' ? frequency.maxPer24h : null,
          startsAt,
        ],
      ).then((r) => r.prescription_id),
    allergy: (patientId: number, substance: string) =>
      o.query(
        `INSERT INTO patient_allergies (patient_id, substance, match_kind, severity, reaction, recorded_by)
         VALUES ($1, $2, 'generic', 'severe', 'anaphylaxis', app_current_user_id())`,
        [patientId, substance.toLowerCase()],
      ),
    administrations: (patientId: number) =>
      w.ownerCount(`SELECT count(*) FROM medication_administrations WHERE patient_id = $1`, [patientId]),
    rows: async (query: string, params: unknown[] = []) => (await o.query(query, params)).rows,
  };
}

export type MarWorld = Awaited<ReturnType<typeof createMarWorld>>;
