// Ambulance dispatch through the one door as the demo dispatcher: 20 dispatchers racing for one
// vehicle (the database's unique index lets one win), a run's steps in order with the database's
// times, vehicles off the road refused, and response times per day over the demo week.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelInput, ChannelKey, ResponseDay, Run, Vehicle } from '../../contract/index.js';
import { createCoreHarness } from '../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let harness: ReturnType<typeof createCoreHarness>;
const DISPATCHERS = 20;
const vehicles: Record<string, number> = {};

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', DISPATCHERS + 2);
  harness = createCoreHarness(database);
  await Promise.all(Array.from({ length: DISPATCHERS }, (_, n) => harness.signIn(`d-${n}`, 'dispatch@demo.clinic')));
  await harness.signIn('cleaner', 'housekeeping@demo.clinic');
  for (const v of (await database.ownerPool.query(`SELECT vehicle_number, ambulance_id FROM ambulance`)).rows)
    vehicles[v.vehicle_number] = v.ambulance_id;
});
afterAll(() => database?.drop());

const call = <C extends ChannelKey>(sender: string, channel: C, input: ChannelInput<C>) => harness.core.dispatch(sender, channel, input);
async function value<T>(sender: string, channel: ChannelKey, input: unknown): Promise<T> {
  const result = await harness.core.dispatch(sender, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}
const fleet = () => value<{ vehicles: Vehicle[] }>('d-0', 'ambulance/get-fleet', {});

describe('ambulance dispatch', () => {
  it(`${DISPATCHERS} dispatchers send the same vehicle at once: one run, every round`, async () => {
    const ambulanceId = vehicles['AMB-01']!;
    const rounds: string[] = [];
    for (let round = 1; round <= 3; round += 1) {
      const results = await Promise.all(
        Array.from({ length: DISPATCHERS }, (_, n) =>
          call(`d-${n}`, 'ambulance/dispatch-vehicle', {
            ambulanceId,
            pickupLocation: `Round ${round} caller ${n}`,
            destination: 'Emergency department',
          }),
        ),
      );
      const won = results.filter((r) => r.ok);
      const conflicts = results.filter((r) => !r.ok && r.error.code === 'Conflict');
      const { rows } = await database.ownerPool.query(
        `SELECT count(*)::int AS open FROM ambulance_log WHERE ambulance_id = $1 AND status IN ('Dispatched', 'EnRoute', 'Arrived')`,
        [ambulanceId],
      );
      rounds.push(
        `round ${round}: ${won.length} dispatched, ${conflicts.length} conflicts, ${results.length - won.length - conflicts.length} other, ${rows[0].open} open run(s)`,
      );
      expect({ won: won.length, conflicts: conflicts.length, open: rows[0].open }).toEqual({ won: 1, conflicts: DISPATCHERS - 1, open: 1 });
      expect(conflicts[0]).toMatchObject({ error: { message: expect.stringMatching(/^AMB-01 is on a run\. Available: /) } });
      const logId = (won[0] as { value: { logId: number } }).value.logId;
      for (const status of ['EnRoute', 'Arrived', 'Returned'] as const) await value('d-0', 'ambulance/update-run', { logId, status });
    }
    console.log(`dispatch race, ${DISPATCHERS} dispatchers on AMB-01:\n  ${rounds.join('\n  ')}`);
  });

  it('a run goes en route → arrived → returned, one step at a time, with the database stamping each time', async () => {
    const ambulanceId = vehicles['AMB-03']!;
    const [patient] = (
      await database.ownerPool.query(`SELECT patient_id, first_name || ' ' || last_name AS name FROM patients ORDER BY patient_id LIMIT 1`)
    ).rows;
    const { logId } = await value<{ logId: number }>('d-1', 'ambulance/dispatch-vehicle', {
      ambulanceId,
      pickupLocation: '4 Elm Close',
      destination: 'Emergency department',
      patientId: patient.patient_id,
    });
    expect((await fleet()).vehicles.find((v) => v.ambulanceId === ambulanceId)).toMatchObject({
      status: 'OnCall',
      openRun: { logId, status: 'Dispatched', patientName: patient.name },
    });
    expect(await call('d-1', 'ambulance/update-run', { logId, status: 'Returned' })).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: 'This run is dispatched: it cannot be marked returned now.' },
    });
    expect(await call('d-1', 'ambulance/set-vehicle-status', { ambulanceId, status: 'Maintenance' })).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: 'AMB-03 is on a run: record its return first.' },
    });
    for (const status of ['EnRoute', 'Arrived', 'Returned'] as const)
      expect(await value('d-1', 'ambulance/update-run', { logId, status })).toEqual({ logId, status });
    const run = (await value<Run[]>('d-1', 'ambulance/list-runs', { days: 1 })).find((r) => r.logId === logId)!;
    const times = [run.dispatchedAt, run.enRouteAt, run.arrivedAt, run.returnedAt].map((t) => Date.parse(t!));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect((await fleet()).vehicles.find((v) => v.ambulanceId === ambulanceId)).toMatchObject({ status: 'Available', openRun: null });
    expect(await call('d-1', 'ambulance/update-run', { logId, status: 'Cancelled' })).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: 'This run has ended (returned).' },
    });
  });

  it('refuses a vehicle in maintenance, and takes one off the road and back', async () => {
    expect(
      await call('d-2', 'ambulance/dispatch-vehicle', {
        ambulanceId: vehicles['AMB-05']!,
        pickupLocation: 'Market Square',
        destination: 'Emergency department',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'Conflict', message: expect.stringMatching(/^AMB-05 is in maintenance\. Available: AMB-/) },
    });
    expect(await value('d-2', 'ambulance/set-vehicle-status', { ambulanceId: vehicles['AMB-04']!, status: 'OutOfService' })).toEqual({
      ambulanceId: vehicles['AMB-04'],
      status: 'OutOfService',
    });
    expect(
      await call('d-2', 'ambulance/dispatch-vehicle', {
        ambulanceId: vehicles['AMB-04']!,
        pickupLocation: 'Market Square',
        destination: 'Emergency department',
      }),
    ).toMatchObject({ ok: false, error: { code: 'Conflict', message: expect.stringContaining('AMB-04 is out of service.') } });
    await value('d-2', 'ambulance/set-vehicle-status', { ambulanceId: vehicles['AMB-04']!, status: 'Available' });
  });

  it('gives response times per day that match the runs in SQL', async () => {
    const days = await value<ResponseDay[]>('d-3', 'ambulance/get-response-times', { days: 7 });
    const { rows } = await database.ownerPool.query(`
      SELECT to_char(dispatched_at::date, 'YYYY-MM-DD') AS day, count(*)::int AS runs,
             round(percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM arrived_at - dispatched_at) / 60)::numeric, 1)::float AS median
      FROM ambulance_log WHERE dispatched_at >= current_date - 6 AND status <> 'Cancelled' GROUP BY 1`);
    const sqlDays = new Map(rows.map((r: { day: string; runs: number; median: number }) => [r.day, r]));
    expect(days).toHaveLength(7);
    for (const d of days) {
      expect(d.runs, d.day).toBe(sqlDays.get(d.day)?.runs ?? 0);
      expect(d.medianMinutes, d.day).toBe(sqlDays.get(d.day)?.median ?? null);
    }
    console.log(
      `response times (minutes, dispatch → arrival):\n${days.map((d) => `  ${d.day}: ${d.runs} runs, median ${d.medianMinutes}, p90 ${d.p90Minutes}, max ${d.maxMinutes}`).join('\n')}`,
    );
    expect(days.filter((d) => d.runs > 0).length).toBeGreaterThanOrEqual(6);
  });

  it('is not for housekeeping', async () => {
    expect(await call('cleaner', 'ambulance/get-fleet', {})).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
  });
});
