// The bed board through the one door on real PostgreSQL: admission (and its race), transfer atomicity,
// discharge → cleaning → free, refusals that write nothing, and what each role sees of the board.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bed, BedBoard, CensusRow } from '../../contract/index.js';
import { lockWaiters } from '../support/lock-waiters.js';
import { createWardWorld, type WardWorld } from './ward-world.js';

let w: WardWorld;
const nurse = 'ward-a-1';
const nurse2 = 'ward-a-2';
const desk = 'desk-1';
const admin = 'admin-1';

beforeAll(async () => {
  w = await createWardWorld();
  await w.harness.signIn(nurse, 'nurse@demo.clinic');
  await w.harness.signIn(nurse2, 'nurse2@demo.clinic');
  await w.harness.signIn(desk, 'frontdesk@demo.clinic');
  await w.harness.signIn(admin, 'admin@demo.clinic');
});
afterAll(() => w.database.drop());

const board = (sender = nurse, departmentId?: number) =>
  w.value<BedBoard>(sender, 'ward/get-bed-board', departmentId === undefined ? {} : { departmentId });
const bed = async (room: string, bedNumber: number, sender = nurse): Promise<Bed> => {
  const departmentId = room.startsWith('WB') ? w.departments.WB : w.departments.WA;
  return (await board(sender, departmentId)).beds.find((b) => b.roomNumber === room && b.bedNumber === bedNumber)!;
};
const admit = (patientId: number, room: string, bedNumber: number, sender = nurse) =>
  w.call(sender, 'ward/admit-patient', { patientId, roomId: w.rooms[room]!, bedNumber });

describe('admission', () => {
  it("a newly registered patient is admitted into a free bed of the nurse's ward and then appears on her board", async () => {
    const patientId = await w.newPatient('Newcomer');
    // Before: not in her care, so the chart is closed to her.
    expect((await w.call(nurse, 'patients/get-patient', { patientId })).ok).toBe(false);
    const admitted = await admit(patientId, 'WA-01', 1);
    expect(admitted.ok).toBe(true);
    expect(await bed('WA-01', 1)).toMatchObject({
      state: 'occupied',
      patient: { patientId, name: 'Ward Newcomer', daysSinceAdmission: 0, hasAllergy: false, latestNews2: null },
    });
    expect((await w.call(nurse, 'patients/get-patient', { patientId })).ok).toBe(true);
  });

  it("is refused outside the nurse's own ward, and for a patient who does not exist", async () => {
    const patientId = await w.newPatient('Elsewhere');
    expect(await admit(patientId, 'WB-01', 1)).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
    expect(await admit(2_000_000_000, 'WA-01', 2)).toMatchObject({ ok: false, error: { code: 'NotFound' } });
    expect(await w.ownerCount(`SELECT count(*) FROM room_assignments WHERE patient_id = $1`, [patientId])).toBe(0);
  });

  it('into an occupied or closed bed: a Conflict naming free beds, nothing written', async () => {
    const taken = await w.newPatient('Taken');
    expect((await admit(taken, 'WA-02', 1)).ok).toBe(true);
    const other = await w.newPatient('Other');
    const occupied = await admit(other, 'WA-02', 1);
    expect(occupied).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: expect.stringMatching(/WA-02\/1 is occupied\. Free beds: WA-/) },
    });
    await w.database.ownerPool.query(`UPDATE rooms SET status = 'Closed' WHERE room_number = 'WA-09'`);
    const closed = await admit(other, 'WA-09', 1);
    expect(closed).toMatchObject({ ok: false, error: { code: 'Conflict', message: expect.stringMatching(/is closed\. Free beds:/) } });
    expect(await w.ownerCount(`SELECT count(*) FROM room_assignments WHERE patient_id = $1`, [other])).toBe(0);
    expect((await bed('WA-09', 1)).state).toBe('closed');
  });

  it('two nurses admitting into the same bed at once: one wins, the other gets a Conflict naming the free beds', async () => {
    const rounds = 12;
    const outcome = { won: 0, refusedAsOccupied: 0, refusedAsJustTaken: 0, other: 0 };
    for (let round = 0; round < rounds; round++) {
      const [a, b] = [await w.newPatient(`Race A${round}`), await w.newPatient(`Race B${round}`)];
      const room = `WA-0${3 + Math.floor(round / 4)}`;
      const results = await Promise.all([admit(a, room, (round % 4) + 1, nurse), admit(b, room, (round % 4) + 1, nurse2)]);
      for (const r of results) {
        if (r.ok) outcome.won++;
        else if (r.error.code === 'Conflict' && /is occupied\. Free beds: /.test(r.error.message)) outcome.refusedAsOccupied++;
        else if (r.error.code === 'Conflict' && /was just taken\. Free beds: /.test(r.error.message)) outcome.refusedAsJustTaken++;
        else outcome.other++;
      }
    }
    console.log(`admission race, ${rounds} beds × 2 nurses:`, outcome);
    expect(outcome.won).toBe(rounds);
    expect(outcome.refusedAsOccupied + outcome.refusedAsJustTaken).toBe(rounds);
    expect(outcome.other).toBe(0);
    expect(
      await w.ownerCount(`SELECT count(*) FROM room_assignments WHERE discharged_at IS NULL AND room_id = ANY($1)`, [
        [w.rooms['WA-03'], w.rooms['WA-04'], w.rooms['WA-05']],
      ]),
    ).toBe(rounds);
  });
});

describe('admissions wait in line (039)', () => {
  it('two nurses for one bed queue on its room: the second reads the bed after the first committed and is told it is occupied', async () => {
    // Without the queue both inserts can land together, wait for each other on the exclusion constraint
    // and one is cancelled as a deadlock a second later (1 race in 12 on the loaded CI run).
    const [a, b] = [await w.newPatient('Queue A'), await w.newPatient('Queue B')];
    const gate = new pg.Client({ connectionString: w.database.superuserUrl });
    await gate.connect();
    try {
      await gate.query('BEGIN');
      await gate.query('SELECT pg_advisory_xact_lock(39, $1)', [w.rooms['WA-06']]);
      const racing = [admit(a, 'WA-06', 4, nurse), admit(b, 'WA-06', 4, nurse2)];
      await expect.poll(() => lockWaiters(w.database.ownerPool), { timeout: 20_000, interval: 20 }).toBe(2);
      await gate.query('COMMIT');
      const results = await Promise.all(racing);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toMatchObject([
        { ok: false, error: { code: 'Conflict', message: expect.stringMatching(/WA-06\/4 is occupied\. Free beds: WA-/) } },
      ]);
    } finally {
      await gate.query('ROLLBACK').catch(() => undefined);
      await gate.end();
    }
  });

  it("a lock held for long (the app's role can take one) makes the nurse try again after 3 s instead of hanging; nothing written", async () => {
    const patientId = await w.newPatient('Held Up');
    const squatter = await w.database.appPool.connect();
    try {
      // The attack: a session-level advisory lock on the room, which outlives any transaction.
      await squatter.query('SELECT pg_advisory_lock(39, $1)', [w.rooms['WA-06']]);
      expect(await admit(patientId, 'WA-06', 3)).toMatchObject({
        ok: false,
        error: { code: 'Conflict', message: 'Someone else is changing this right now. Try again in a moment.' },
      });
    } finally {
      await squatter.query('SELECT pg_advisory_unlock_all()');
      squatter.release();
    }
    expect(await w.ownerCount(`SELECT count(*) FROM room_assignments WHERE patient_id = $1`, [patientId])).toBe(0);
    expect((await admit(patientId, 'WA-06', 3)).ok).toBe(true);
  });
});

describe('transfer', () => {
  it('bed to bed in the ward, and ward to ward: the stay keeps its admission time and the old bed goes to cleaning', async () => {
    const patientId = await w.newPatient('Mover');
    const first = await w.value<{ assignmentId: number }>(nurse, 'ward/admit-patient', {
      patientId,
      roomId: w.rooms['WA-06']!,
      bedNumber: 1,
    });
    const admittedAt = (await bed('WA-06', 1)).patient!.admittedAt;
    const moved = await w.value<{ assignmentId: number }>(nurse, 'ward/transfer-patient', {
      assignmentId: first.assignmentId,
      roomId: w.rooms['WA-06']!,
      bedNumber: 2,
    });
    expect(await bed('WA-06', 2)).toMatchObject({ state: 'occupied', patient: { patientId, admittedAt } });
    expect((await bed('WA-06', 1)).state).toBe('to-clean');
    await w.value(nurse, 'ward/transfer-patient', { assignmentId: moved.assignmentId, roomId: w.rooms['WB-01']!, bedNumber: 1 });
    expect((await bed('WB-01', 1, admin)).patient).toMatchObject({ patientId, admittedAt });
    // Now Ward B's patient: Ward A's nurse no longer sees the bed's occupant.
    expect(await bed('WB-01', 1)).toMatchObject({ state: 'occupied', patient: null });
  });

  it('a failure mid-transfer (the new bed taken after the check) leaves the patient in the old bed', async () => {
    const patientId = await w.newPatient('Stayer');
    const stay = await w.value<{ assignmentId: number }>(nurse, 'ward/admit-patient', {
      patientId,
      roomId: w.rooms['WA-07']!,
      bedNumber: 1,
    });
    const rival = await w.newPatient('Rival');
    // Another session takes the target bed and holds its transaction open.
    const blocker = new pg.Client({ connectionString: w.database.ownerUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`INSERT INTO room_assignments (room_id, patient_id, bed_number) VALUES ($1, $2, 2)`, [w.rooms['WA-07'], rival]);
      const transfer = w.call(nurse, 'ward/transfer-patient', { assignmentId: stay.assignmentId, roomId: w.rooms['WA-07']!, bedNumber: 2 });
      // The transfer has closed the old stay and now waits on the bed's exclusion constraint.
      await expect.poll(() => lockWaiters(w.database.ownerPool), { timeout: 20_000, interval: 20 }).toBeGreaterThan(0);
      await blocker.query('COMMIT');
      expect(await transfer).toMatchObject({
        ok: false,
        error: { code: 'Conflict', message: expect.stringMatching(/WA-07\/2 was just taken\. Free beds:/) },
      });
    } finally {
      await blocker.end();
    }
    expect(await bed('WA-07', 1)).toMatchObject({ state: 'occupied', assignmentId: stay.assignmentId, patient: { patientId } });
    expect(await w.ownerCount(`SELECT count(*) FROM room_assignments WHERE patient_id = $1`, [patientId])).toBe(1);
    expect(await w.ownerCount(`SELECT count(*) FROM cleaning_service WHERE room_id = $1`, [w.rooms['WA-07']])).toBe(0);
  });
});

describe('discharge and cleaning', () => {
  it('discharge → to clean (not admittable) → cleaning completed → free', async () => {
    const patientId = await w.newPatient('Leaver');
    const stay = await w.value<{ assignmentId: number }>(nurse, 'ward/admit-patient', {
      patientId,
      roomId: w.rooms['WA-08']!,
      bedNumber: 1,
    });
    const { cleaningId } = await w.value<{ cleaningId: number }>(nurse, 'ward/discharge-patient', {
      assignmentId: stay.assignmentId,
      reason: 'Recovered after pneumonia',
      destination: 'home',
    });
    expect(await bed('WA-08', 1)).toMatchObject({ state: 'to-clean', cleaningId, patient: null });
    expect((await bed('WA-08', 2)).state).toBe('free');
    const { rows } = await w.database.ownerPool.query(
      `SELECT discharge_reason, discharge_destination, discharged_at IS NOT NULL AS left FROM room_assignments WHERE assignment_id = $1`,
      [stay.assignmentId],
    );
    expect(rows[0]).toEqual({ discharge_reason: 'Recovered after pneumonia', discharge_destination: 'home', left: true });
    expect(await admit(await w.newPatient('Too Soon'), 'WA-08', 1)).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: expect.stringMatching(/waiting to be cleaned/) },
    });
    expect(
      await w.call(nurse, 'ward/discharge-patient', { assignmentId: stay.assignmentId, reason: 'Again', destination: 'home' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NotFound' },
    });
    await w.value(nurse, 'ward/complete-cleaning', { cleaningId });
    expect(await bed('WA-08', 1)).toMatchObject({ state: 'free', cleaningId: null });
    expect(await w.call(nurse, 'ward/complete-cleaning', { cleaningId })).toMatchObject({ ok: false, error: { code: 'Conflict' } });
    expect((await admit(await w.newPatient('Next'), 'WA-08', 1)).ok).toBe(true);
  });
});

describe('asking housekeeping for a clean', () => {
  it("a nurse asks for a spill clean at a bed of her ward: it is in the queue; another ward's room is refused, nothing written", async () => {
    const count = () => w.ownerCount(`SELECT count(*) FROM cleaning_service WHERE cleaning_type = 'Spill' AND notes = 'Juice by bed 2'`);
    const { cleaningId } = await w.value<{ cleaningId: number }>(nurse, 'ward/request-cleaning', {
      roomId: w.rooms['WA-06']!,
      bedNumber: 2,
      type: 'Spill',
      notes: 'Juice by bed 2',
    });
    const { rows } = await w.database.ownerPool.query(
      `SELECT room_id, bed_number, cleaning_type, status FROM cleaning_service WHERE cleaning_id = $1`,
      [cleaningId],
    );
    expect(rows[0]).toEqual({ room_id: w.rooms['WA-06'], bed_number: 2, cleaning_type: 'Spill', status: 'Scheduled' });
    expect(await count()).toBe(1);
    expect(
      await w.call(nurse, 'ward/request-cleaning', { roomId: w.rooms['WB-01']!, bedNumber: 2, type: 'Spill', notes: 'Juice by bed 2' }),
    ).toMatchObject({ ok: false, error: { code: 'Forbidden', message: expect.stringContaining('not in your ward') } });
    expect(await w.call(nurse, 'ward/request-cleaning', { roomId: w.rooms['WA-06']!, bedNumber: 9, type: 'Spill' })).toMatchObject({
      ok: false,
      error: { code: 'Validation' },
    });
    expect(await w.call(desk, 'ward/request-cleaning', { roomId: w.rooms['WA-06']!, type: 'Deep' })).toMatchObject({
      ok: false,
      error: { code: 'Forbidden' },
    });
    expect(await count()).toBe(1);
  });
});

describe('what each role sees', () => {
  it('the front desk sees true occupancy but no patient; the census counts every department and state', async () => {
    const deskBoard = await board(desk, w.departments.WA);
    const occupied = deskBoard.beds.filter((b) => b.state === 'occupied');
    expect(occupied.length).toBeGreaterThan(0);
    expect(occupied.every((b) => b.patient === null)).toBe(true);
    const census = await w.value<CensusRow[]>(desk, 'ward/get-census', {});
    const wardA = census.find((c) => c.departmentId === w.departments.WA)!;
    expect(wardA.occupied).toBe(occupied.length);
    expect(wardA.closed).toBe(1); // WA-09, a single room
    expect(wardA.free + wardA.occupied + wardA.toClean + wardA.maintenance + wardA.closed).toBe(wardA.total);
    expect(wardA.total).toBe(8 * 4 + 4); // eight 4-bed rooms and four single rooms
  });
  it('a pharmacist (no rooms.read) is refused the board before any SQL', async () => {
    await w.harness.signIn('pharm-1', 'pharmacist@demo.clinic');
    w.harness.resetSqlCalls();
    expect(await w.call('pharm-1', 'ward/get-bed-board', {})).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
    expect(w.harness.sqlCalls()).toBe(0);
  });
});

describe('the functions behind admission, called with the database login directly', () => {
  const asUser = async (email: string | null, statement: string, params: unknown[]) => {
    const client = await w.database.appPool.connect();
    try {
      await client.query('BEGIN');
      if (email)
        await client.query(`SELECT set_config('app.current_user_id', (SELECT user_id::text FROM users WHERE email = $1), true)`, [email]);
      return await client.query(statement, params).then(
        () => 'ok',
        (error: { code: string }) => error.code,
      );
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  };
  it('refuse without a context, without rooms.assign, and outside the caller’s ward; the bed states need rooms.read', async () => {
    const patientId = await w.newPatient('Direct');
    const admitSql = 'SELECT admit_patient($1, $2, 1, NULL)';
    expect(await asUser(null, admitSql, [patientId, w.rooms['WA-10']])).toBe('42501');
    expect(await asUser('frontdesk@demo.clinic', admitSql, [patientId, w.rooms['WA-10']])).toBe('42501');
    expect(await asUser('doctor@demo.clinic', admitSql, [patientId, w.rooms['WA-10']])).toBe('42501');
    expect(await asUser('nurse@demo.clinic', admitSql, [patientId, w.rooms['WB-10']])).toBe('42501');
    expect(await asUser('nurse@demo.clinic', admitSql, [patientId, w.rooms['WA-10']])).toBe('ok');
    expect(await asUser(null, 'SELECT * FROM ward_bed_states(NULL)', [])).toBe('42501');
    expect(await asUser('pharmacist@demo.clinic', 'SELECT * FROM ward_bed_states(NULL)', [])).toBe('42501');
    // The helpers are not the app's to call at all.
    expect(await asUser('nurse@demo.clinic', 'SELECT ward_require_free_bed($1, 1)', [w.rooms['WA-10']])).toBe('42501');
  });
});
