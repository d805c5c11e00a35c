// The cleaning queue through the one door as the demo housekeeper: a ward discharge puts the bed in the
// queue, completing it frees the bed on the ward's own board; routine planning once a day (raced);
// start / complete / skip with the database deciding which moves are allowed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BedBoard, ChannelInput, ChannelKey, CleaningQueue } from '../../contract/index.js';
import { createCoreHarness } from '../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let harness: ReturnType<typeof createCoreHarness>;
const rooms: Record<string, number> = {};
let wardA = 0;

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 6);
  harness = createCoreHarness(database);
  await harness.signIn('cleaner', 'housekeeping@demo.clinic');
  await harness.signIn('cleaner-2', 'housekeeping@demo.clinic');
  await harness.signIn('nurse', 'nurse@demo.clinic');
  await harness.signIn('dispatcher', 'dispatch@demo.clinic');
  for (const r of (await database.ownerPool.query(`SELECT room_number, room_id FROM rooms`)).rows) rooms[r.room_number] = r.room_id;
  wardA = (await database.ownerPool.query(`SELECT department_id FROM departments WHERE code = 'WA'`)).rows[0].department_id;
});
afterAll(() => database?.drop());

const call = <C extends ChannelKey>(sender: string, channel: C, input: ChannelInput<C>) => harness.core.dispatch(sender, channel, input);
async function value<T>(sender: string, channel: ChannelKey, input: unknown): Promise<T> {
  const result = await harness.core.dispatch(sender, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}
const queue = () => value<CleaningQueue>('cleaner', 'housekeeping/get-queue', {});

describe('housekeeping', () => {
  it('shows the open tasks by due time, the overdue discharge clean first and marked', async () => {
    const { open } = await queue();
    const overdue = open.find((t) => t.roomNumber === 'WB-05')!;
    const dueSoon = open.find((t) => t.roomNumber === 'WB-06')!;
    expect(overdue).toMatchObject({ type: 'Discharge', bedNumber: 2, overdue: true, status: 'Scheduled' });
    expect(dueSoon).toMatchObject({ type: 'Discharge', overdue: false });
    expect(open.indexOf(overdue)).toBeLessThan(open.indexOf(dueSoon));
  });

  it("a bed the ward discharges is queued, and is free on the ward's board once housekeeping completes it", async () => {
    const bedState = async () =>
      (await value<BedBoard>('nurse', 'ward/get-bed-board', { departmentId: wardA })).beds.find(
        (b) => b.roomId === rooms['WA-03'] && b.bedNumber === 2,
      )!.state;
    const patient = (
      await database.ownerPool.query(
        `INSERT INTO patients (first_name, last_name, date_of_birth, department_id) VALUES ('Clean', 'Bed', '1960-05-05', $1) RETURNING patient_id`,
        [wardA],
      )
    ).rows[0].patient_id;
    const assignmentId = (
      await database.ownerPool.query(
        `INSERT INTO room_assignments (room_id, patient_id, bed_number) VALUES ($1, $2, 2) RETURNING assignment_id`,
        [rooms['WA-03'], patient],
      )
    ).rows[0].assignment_id;
    const { cleaningId } = await value<{ cleaningId: number }>('nurse', 'ward/discharge-patient', {
      assignmentId,
      reason: 'Recovered',
      destination: 'home',
    });
    expect(await bedState()).toBe('to-clean');
    expect((await queue()).open.find((t) => t.cleaningId === cleaningId)).toMatchObject({
      roomNumber: 'WA-03',
      bedNumber: 2,
      type: 'Discharge',
    });

    expect(await value('cleaner', 'housekeeping/start-task', { cleaningId })).toEqual({ cleaningId, status: 'InProgress' });
    expect(await bedState()).toBe('to-clean');
    expect(await value('cleaner', 'housekeeping/complete-task', { cleaningId })).toEqual({ cleaningId, status: 'Completed' });
    expect(await bedState()).toBe('free');
    const done = (await queue()).closedToday.find((t) => t.cleaningId === cleaningId)!;
    expect(done).toMatchObject({ status: 'Completed', staffName: 'Hana Housekeeping' });
    expect(Date.parse(done.completedAt!)).toBeGreaterThanOrEqual(Date.parse(done.startedAt!));
    expect(await call('cleaner', 'housekeeping/complete-task', { cleaningId })).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: 'This cleaning task is already completed.' },
    });
  });

  it('plans the routine clean once per room and day, with two housekeepers at once', async () => {
    const [{ rooms: open }] = (
      await database.ownerPool.query(`SELECT count(*)::int AS rooms FROM rooms WHERE status NOT IN ('Closed', 'Maintenance')`)
    ).rows as { rooms: number }[] as [{ rooms: number }];
    const toClean = async () =>
      (await database.ownerPool.query(`SELECT count(*)::int AS n FROM ward_bed_states(NULL) WHERE state = 'to-clean'`)).rows[0].n as number;
    const before = await toClean();
    const results = await Promise.all(['cleaner', 'cleaner-2'].map((s) => value<{ added: number }>(s, 'housekeeping/plan-routine', {})));
    const again = await value<{ added: number }>('cleaner', 'housekeeping/plan-routine', {});
    console.log(
      `routine planning: ${open} rooms; two planners added ${results.map((r) => r.added).join(' + ')}, a third call ${again.added}`,
    );
    expect(results[0]!.added + results[1]!.added).toBe(open);
    expect(again.added).toBe(0);
    // A routine clean is done around the patients: it closes no bed to admissions.
    expect(await toClean()).toBe(before);
  });

  it('skips a routine clean only with a reason, and never a discharge clean', async () => {
    const { open } = await queue();
    const routine = open.find((t) => t.type === 'Routine')!;
    const discharge = open.find((t) => t.type === 'Discharge')!;
    expect(await call('cleaner', 'housekeeping/skip-task', { cleaningId: routine.cleaningId, reason: 'no' })).toMatchObject({
      ok: false,
      error: { code: 'Validation' },
    });
    expect(await call('cleaner', 'housekeeping/skip-task', { cleaningId: discharge.cleaningId, reason: 'Too busy today' })).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: 'A discharge clean is never skipped: the bed stays closed until it is done.' },
    });
    expect(
      await value('cleaner', 'housekeeping/skip-task', { cleaningId: routine.cleaningId, reason: 'Room closed for painting' }),
    ).toEqual({
      cleaningId: routine.cleaningId,
      status: 'Skipped',
    });
    expect(await call('cleaner', 'housekeeping/start-task', { cleaningId: routine.cleaningId })).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: 'This cleaning task is already skipped.' },
    });
    const skipped = (await queue()).closedToday.find((t) => t.cleaningId === routine.cleaningId);
    expect(skipped).toMatchObject({ status: 'Skipped', skipReason: 'Room closed for painting' });
  });

  it('lists every room by number, with its department and beds, for the form that asks for a clean', async () => {
    const listed = await value<{ roomId: number; roomNumber: string; departmentName: string | null; bedCount: number }[]>(
      'cleaner',
      'housekeeping/list-rooms',
      {},
    );
    expect(listed.find((r) => r.roomNumber === 'WB-10')).toMatchObject({ roomId: rooms['WB-10'], bedCount: 1 });
    expect(listed.length).toBeGreaterThan(10);
    expect(await call('nurse', 'housekeeping/list-rooms', {})).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
  });

  it('asks for a spill clean of a bed that exists', async () => {
    expect(await call('cleaner', 'housekeeping/request-cleaning', { roomId: rooms['WB-10']!, bedNumber: 3, type: 'Spill' })).toMatchObject({
      ok: false,
      error: { code: 'Validation', message: 'This room has 1 bed.' },
    });
    const { cleaningId } = await value<{ cleaningId: number }>('cleaner', 'housekeeping/request-cleaning', {
      roomId: rooms['WB-01']!,
      bedNumber: 3,
      type: 'Spill',
      notes: 'Tea by the window',
    });
    expect((await queue()).open.find((t) => t.cleaningId === cleaningId)).toMatchObject({ type: 'Spill', notes: 'Tea by the window' });
  });

  it('is not for nurses or dispatchers', async () => {
    expect(await call('nurse', 'housekeeping/get-queue', {})).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
    expect(await call('dispatcher', 'housekeeping/plan-routine', {})).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
  });
});
