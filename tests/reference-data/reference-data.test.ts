// Reference data through the one door as the demo administrator: the contract's schemas accept exactly
// what the database's CHECKs accept (tried value by value against both), database refusals come back
// as sentences, and a new daily rate is what the next stay is billed at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RoomInput,
  RoomTypeInput,
  type ChannelInput,
  type ChannelKey,
  type DoctorRecord,
  type Room,
  type RoomType,
  type StaffMember,
} from '../../contract/index.js';
import { createCoreHarness } from '../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let harness: ReturnType<typeof createCoreHarness>;

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 4);
  harness = createCoreHarness(database);
  await harness.signIn('admin', 'admin@demo.clinic');
  await harness.signIn('nurse', 'nurse@demo.clinic');
  await harness.signIn('clerk', 'billing@demo.clinic');
});
afterAll(() => database?.drop());

const call = <C extends ChannelKey>(sender: string, channel: C, input: ChannelInput<C>) => harness.core.dispatch(sender, channel, input);
async function value<T>(sender: string, channel: ChannelKey, input: unknown): Promise<T> {
  const result = await harness.core.dispatch(sender, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}
/** What one of the identity helpers the policies ask answers for this account, read through the app's login. */
async function idsAsAccount(userId: string, helper: 'app_my_department_ids' | 'app_my_doctor_ids'): Promise<number[]> {
  const client = await database.appPool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SELECT set_config('app.current_user_id', $1, true)`, [userId]);
    return (await client.query<{ ids: number[] }>(`SELECT ${helper}() AS ids`)).rows[0]!.ids;
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}
const places = () => value<{ roomTypes: RoomType[]; rooms: Room[] }>('admin', 'reference/list-places', {});

/** Whether the database takes the value, tried as the owner in a transaction that is rolled back. */
async function databaseTakes(text: string, params: unknown[]): Promise<boolean> {
  const client = await database.ownerPool.connect();
  try {
    await client.query('BEGIN');
    await client.query(text, params);
    return true;
  } catch {
    return false;
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

describe('reference data', () => {
  it('the schemas accept exactly what the database accepts (bed counts, daily rates)', async () => {
    let agreed = 0;
    for (const beds of [-1, 0, 1, 2, 49, 50, 51, 300]) {
      const zod = RoomInput.safeParse({ roomNumber: 'ZZ-1', roomTypeId: 1, departmentId: 1, bedCount: beds, status: 'Available' }).success;
      const db = await databaseTakes(`INSERT INTO rooms (room_number, bed_count) VALUES ('ZZ-1', $1)`, [beds]);
      expect(zod, `bed_count ${beds}`).toBe(db);
      agreed += 1;
    }
    for (const rate of ['0', '0.00', '180', '180.5', '180.55', '99999999.99', '-1', '100000000', '1.005']) {
      const zod = RoomTypeInput.safeParse({ typeName: 'Probe', dailyRate: rate }).success;
      // NUMERIC(10, 2) rounds a third decimal rather than refusing it: the schema refuses it so nothing is rounded unseen.
      const db =
        rate === '1.005'
          ? false
          : await databaseTakes(`INSERT INTO room_types (type_name, daily_rate) VALUES ('Probe', $1::numeric)`, [rate]);
      expect(zod, `daily_rate ${rate}`).toBe(db);
      agreed += 1;
    }
    console.log(`schema vs database: ${agreed} values, all agree`);
  });

  it('an administrator changes a daily rate, and the next stay is billed at it', async () => {
    const { roomTypes } = await places();
    const { rooms: _inUse, ...privateRoom } = roomTypes.find((t) => t.typeName === 'Private')!;
    expect(await value('admin', 'reference/save-room-type', { ...privateRoom, dailyRate: '455.50' })).toEqual({
      roomTypeId: privateRoom.roomTypeId,
    });
    expect((await places()).roomTypes.find((t) => t.roomTypeId === privateRoom.roomTypeId)!.dailyRate).toBe('455.50');
    const unbilled = await value<{ kind: string; unitPrice: string; description: string }[]>('clerk', 'billing/list-unbilled', {});
    const stays = unbilled.filter((u) => u.kind === 'stay' && u.description.includes('Private'));
    expect(stays.length).toBeGreaterThan(0);
    for (const stay of stays) expect(stay.unitPrice).toBe('455.50');
  });

  it('refuses with sentences: a taken room number, a bad rate, fewer beds than a patient needs, overlapping shifts', async () => {
    const { rooms } = await places();
    const [first, second] = rooms;
    expect(await call('admin', 'reference/save-room', { ...second!, roomNumber: first!.roomNumber })).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: `Room number ${first!.roomNumber} is already taken.` },
    });
    expect(await call('admin', 'reference/save-room-type', { typeName: 'Cheap', dailyRate: '-5' })).toMatchObject({
      ok: false,
      error: { code: 'Validation', issues: [{ path: 'dailyRate', message: expect.stringContaining('Enter an amount like') }] },
    });
    // A patient in bed 3 of a four-bed room: the room keeps three beds.
    const room = rooms.find((r) => r.bedCount === 4)!;
    const patient = (await database.ownerPool.query(`SELECT patient_id FROM patients ORDER BY patient_id DESC LIMIT 1 OFFSET 70`)).rows[0]
      .patient_id;
    await database.ownerPool.query(`INSERT INTO room_assignments (room_id, patient_id, bed_number) VALUES ($1, $2, 3)`, [
      room.roomId,
      patient,
    ]);
    expect(await call('admin', 'reference/save-room', { ...room, bedCount: 2 })).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: 'Bed 3 of this room holds a patient: the room keeps at least 3 beds until they leave.' },
    });
    const doctorId = (await database.ownerPool.query(`SELECT doctor_id FROM doctors ORDER BY doctor_id LIMIT 1`)).rows[0].doctor_id;
    expect(
      await call('admin', 'reference/set-doctor-hours', {
        doctorId,
        hours: [
          { isoWeekday: 2, startTime: '08:00', endTime: '12:00' },
          { isoWeekday: 2, startTime: '11:00', endTime: '15:00' },
        ],
      }),
    ).toMatchObject({ ok: false, error: { code: 'Conflict', message: 'Two shifts on the same day overlap.' } });
    expect(
      await value('admin', 'reference/set-doctor-hours', {
        doctorId,
        hours: [
          { isoWeekday: 2, startTime: '08:00', endTime: '12:00' },
          { isoWeekday: 2, startTime: '12:00', endTime: '16:00' },
        ],
      }),
    ).toEqual({ doctorId, shifts: 2 });
  });

  it("links a member of staff to their sign-in account, which gives the account the staff row's ward; one account is one person", async () => {
    const account = async (email: string) =>
      (
        await database.ownerPool.query<{ user_id: string }>(
          `INSERT INTO users (email, password_hash, display_name) VALUES ($1, 'x', 'New Nurse') RETURNING user_id`,
          [email],
        )
      ).rows[0]!.user_id;
    const userId = await account('new.nurse@test.clinic');
    const wardA = (await database.ownerPool.query<{ department_id: number }>(`SELECT department_id FROM rooms WHERE room_number = 'WA-01'`))
      .rows[0]!.department_id;
    const departmentsOf = (id: string) => idsAsAccount(id, 'app_my_department_ids');
    const nurse = { firstName: 'Nell', lastName: 'Newly', role: 'nurse' as const, departmentId: wardA, contactNumber: null, email: null };
    const { staffId } = await value<{ staffId: number }>('admin', 'reference/save-staff', { ...nurse, userId });
    expect(await departmentsOf(userId)).toEqual([wardA]);
    const listed = async () =>
      (await value<{ staff: StaffMember[] }>('admin', 'reference/list-people', {})).staff.find((m) => m.staffId === staffId);
    expect(await listed()).toMatchObject({ userId, accountEmail: 'new.nurse@test.clinic', hasAccount: true, departmentId: wardA });
    // An edit that leaves the account out keeps it; the same account on a second person is refused, nothing written.
    await value('admin', 'reference/save-staff', { ...nurse, staffId, lastName: 'Newly-Wed' });
    expect(await listed()).toMatchObject({ lastName: 'Newly-Wed', userId });
    expect(await call('admin', 'reference/save-staff', { ...nurse, firstName: 'Other', userId })).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: 'This sign-in account is already taken.' },
    });
    expect(await call('admin', 'reference/save-staff', { ...nurse, staffId, userId: 'not-a-uuid' })).toMatchObject({
      ok: false,
      error: { code: 'Validation' },
    });
    // Unlinked, the account has no ward any more.
    await value('admin', 'reference/save-staff', { ...nurse, staffId, lastName: 'Newly-Wed', userId: null });
    expect(await listed()).toMatchObject({ userId: null, accountEmail: null, hasAccount: false });
    expect(await departmentsOf(userId)).toEqual([]);
    expect(await call('nurse', 'reference/save-staff', { ...nurse, staffId, userId })).toMatchObject({
      ok: false,
      error: { code: 'Forbidden' },
    });
  });

  it('adds a doctor linked to their sign-in account, so the account prescribes as that doctor; one account is one doctor', async () => {
    const { rows } = await database.ownerPool.query<{ user_id: string }>(
      `INSERT INTO users (email, password_hash, display_name) VALUES ('new.doctor@test.clinic', 'x', 'New Doctor') RETURNING user_id`,
    );
    const userId = rows[0]!.user_id;
    const doctorIdsOf = (id: string) => idsAsAccount(id, 'app_my_doctor_ids');
    const doctor = {
      firstName: 'Nadia',
      lastName: 'Newcombe',
      specialization: 'Geriatrics',
      departmentId: null,
      licenseNumber: 'NEW-DOC-1',
      contactNumber: null,
      email: null,
      slotMinutes: 20,
    };
    // A week the database refuses (overlapping shifts) takes the new doctor with it: one transaction.
    const overlapping = [
      { isoWeekday: 1, startTime: '08:00', endTime: '12:00' },
      { isoWeekday: 1, startTime: '11:00', endTime: '13:00' },
    ];
    expect(await call('admin', 'reference/save-doctor', { ...doctor, userId, hours: overlapping })).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: 'Two shifts on the same day overlap.' },
    });
    expect((await database.ownerPool.query(`SELECT 1 FROM doctors WHERE license_number = 'NEW-DOC-1'`)).rowCount).toBe(0);
    const week = [{ isoWeekday: 1, startTime: '08:00', endTime: '12:00' }];
    const { doctorId } = await value<{ doctorId: number }>('admin', 'reference/save-doctor', { ...doctor, userId, hours: week });
    expect(await doctorIdsOf(userId)).toEqual([doctorId]);
    const listed = async () =>
      (await value<{ doctors: DoctorRecord[] }>('admin', 'reference/list-people', {})).doctors.find((d) => d.doctorId === doctorId);
    expect(await listed()).toMatchObject({
      userId,
      accountEmail: 'new.doctor@test.clinic',
      slotMinutes: 20,
      licenseNumber: 'NEW-DOC-1',
      hours: week,
    });
    // An edit that leaves the account out keeps it; a second doctor on the same account, or the same licence, is refused.
    await value('admin', 'reference/save-doctor', { ...doctor, doctorId, slotMinutes: 15 });
    expect(await listed()).toMatchObject({ slotMinutes: 15, userId, hours: week }); // hours left out: kept
    expect(await call('admin', 'reference/save-doctor', { ...doctor, licenseNumber: 'NEW-DOC-2', userId })).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: 'This sign-in account is already taken.' },
    });
    expect(await call('admin', 'reference/save-doctor', { ...doctor, firstName: 'Twin' })).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: 'The licence number NEW-DOC-1 is already taken.' },
    });
    // Unlinked, the account is no doctor any more; only an administrator links one.
    await value('admin', 'reference/save-doctor', { ...doctor, doctorId, userId: null });
    expect(await listed()).toMatchObject({ userId: null, accountEmail: null });
    expect(await doctorIdsOf(userId)).toEqual([]);
    expect(await call('nurse', 'reference/save-doctor', { ...doctor, doctorId, userId })).toMatchObject({
      ok: false,
      error: { code: 'Forbidden' },
    });
    expect(await doctorIdsOf(userId)).toEqual([]);
  });

  it('is for administrators only', async () => {
    expect(await call('nurse', 'reference/list-places', {})).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
    expect(await call('clerk', 'reference/save-room-type', { typeName: 'Cheap', dailyRate: '1' })).toMatchObject({
      ok: false,
      error: { code: 'Forbidden' },
    });
  });
});
