// The demo seed's ward round: two Ward A patients in the single rooms with verified orders, charted
// doses and a PRN already given, so a nurse signing in to the demo meets a MAR with something in it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mar } from '../../contract/ward.js';
import { scoreNews2 } from '../../main/ward/news2.js';
import { createWardWorld, type WardWorld } from './ward-world.js';

let w: WardWorld;
beforeAll(async () => {
  w = await createWardWorld(2);
  await w.harness.signIn('demo-nurse', 'nurse@demo.clinic');
});
afterAll(() => w.database.drop());

describe('the ward demo', () => {
  it("puts two patients with verified orders on the demo nurse's MAR, with charted doses and a PRN given", async () => {
    const mar = await w.value<Mar>('demo-nurse', 'ward/get-mar', {});
    const demo = mar.patients.filter((p) => p.roomNumber === 'WA-11' || p.roomNumber === 'WA-12');
    expect(demo).toHaveLength(2);
    const orders = demo.flatMap((p) => p.orders);
    expect(orders.length).toBeGreaterThanOrEqual(6);
    const states = new Set(orders.flatMap((o) => o.doses.map((d) => d.state)));
    expect(states.has('given')).toBe(true);
    const prn = orders.find((o) => o.prn !== null)!;
    expect(prn).toMatchObject({ isControlled: true, prn: { givenLast24h: 1, dosesLeft24h: 3 } });
    expect(prn.doses[0]!.witnessedBy).toBe('Priya Pharmacist');
    expect(demo.every((p) => p.allergies.length === 1)).toBe(true);
    console.log('demo MAR dose states:', [...states].sort().join(', '));
  });

  it('stores the NEWS2 that main/ward/news2.ts gives the seeded vitals (the seed, infrastructure, cannot import it)', async () => {
    const { rows } = await w.database.ownerPool.query(
      `SELECT o.* FROM observations o JOIN room_assignments ra ON ra.patient_id = o.patient_id AND ra.discharged_at IS NULL
       JOIN rooms r ON r.room_id = ra.room_id WHERE r.room_number IN ('WA-11', 'WA-12')`,
    );
    expect(rows).toHaveLength(2);
    for (const o of rows) {
      const scored = scoreNews2({
        respirationRate: o.respiration_rate,
        spo2: o.spo2,
        spo2Scale: o.spo2_scale,
        onOxygen: o.on_oxygen,
        systolicBp: o.systolic_bp,
        pulse: o.pulse,
        consciousness: o.consciousness,
        temperature: Number(o.temperature),
      });
      expect({ score: o.news2_score, response: o.news2_response, three: o.news2_single_three }).toEqual({
        score: scored.score,
        response: scored.response,
        three: scored.singleParameterThree,
      });
    }
  });
});
