// The ward terminal's last-known copy for downtime, on real PostgreSQL behind a loopback proxy the test
// cuts: read as the nurse who signed in here, sealed on disk (no names in the file, refused with another
// key or as an older copy), shown offline only to that nurse, and nothing clinical recorded offline.
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WardLastKnownCopy } from '../../../contract/index.js';
import { createAppCore, type AppCore } from '../../../main/app-core.js';
import { createPool } from '../../../main/db/connection.js';
import { startCuttableProxy } from '../../support/cuttable-proxy.js';
import { memorySecretStore } from '../../support/memory-secrets.js';
import { createWardWorld, type WardWorld } from '../ward-world.js';

let w: WardWorld;
let proxy: Awaited<ReturnType<typeof startCuttableProxy>>;
let pool: ReturnType<typeof createPool>;
let dir: string;
const key = randomBytes(32);
const secrets = memorySecretStore();
const logged: string[] = [];
let core: AppCore;
let patientId: number;

const terminal = (wardKey = key) =>
  createAppCore({
    pool,
    mode: 'server',
    terminal: { name: 'ward-a-terminal', role: 'ward' },
    wardOffline: { dir, key: wardKey, secrets },
    logInternal: (message) => void logged.push(message),
  });
const signIn = async (c: AppCore, sender: string, email: string) => {
  const result = await c.dispatch(sender, 'session/sign-in', { email, password: w.database.demoPassword });
  if (!result.ok) throw new Error(result.error.message);
};
const lastKnown = async (c: AppCore, sender: string) => {
  const result = await c.dispatch(sender, 'ward/get-last-known-copy', {});
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as WardLastKnownCopy | null;
};

beforeAll(async () => {
  w = await createWardWorld(4);
  const target = new URL(w.database.appUrl);
  proxy = await startCuttableProxy({ host: target.hostname, port: Number(target.port) });
  target.port = String(proxy.port);
  pool = createPool({ connectionString: target.toString(), max: 4, connectionTimeoutMillis: 1000 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'ward-copy-'));
  patientId = await w.newPatient('Copyholder');
  await w.harness.signIn('setup-nurse', 'nurse@demo.clinic');
  await w.value('setup-nurse', 'ward/admit-patient', { patientId, roomId: w.rooms['WA-02']!, bedNumber: 1 });
  await w.value('setup-nurse', 'pharmacy/record-allergy', {
    patientId,
    substance: 'penicillin',
    matchKind: 'class',
    reaction: 'rash',
    severity: 'severe',
  });
  core = terminal();
  await core.monitor.check();
});
afterAll(async () => {
  await core?.close();
  await pool?.end().catch(() => undefined);
  await proxy?.close();
  rmSync(dir, { recursive: true, force: true });
  await w?.database.drop();
});

describe('the ward copy', () => {
  it("is read as the nurse who signs in here: her ward's beds, each patient's allergies, and the time it was taken", async () => {
    expect(core.wardCopy!.describe()).toBeNull();
    await signIn(core, 'nurse-window', 'nurse@demo.clinic');
    await core.wardCopy!.refreshNow();
    const copy = (await lastKnown(core, 'nurse-window'))!;
    expect(copy.takenFor).toBe('Nia Nurse');
    expect(copy.board.departmentId).toBe(w.departments.WA);
    const bed = copy.board.beds.find((b) => b.patient?.patientId === patientId)!;
    expect(bed.roomNumber).toBe('WA-02');
    expect(copy.allergies.find((a) => a.patientId === patientId)?.allergies).toEqual(['penicillin (rash, severe)']);
    const occupied = copy.board.beds.filter((b) => b.patient).length;
    console.log(
      `ward copy: ${copy.board.beds.length} beds, ${occupied} occupied, ${copy.allergies.length} allergy lists, MAR ${copy.mar ? `${copy.mar.patients.length} patient(s)` : 'not read'}`,
    );
    expect(copy.allergies).toHaveLength(occupied);
  });

  it('is sealed on disk: no patient name in the file; another key or an older copy put back is refused', async () => {
    const file = path.join(dir, 'ward-copy.bin');
    const raw = readFileSync(file);
    expect(raw.includes(Buffer.from('Copyholder'))).toBe(false);
    expect(raw.includes(Buffer.from('penicillin'))).toBe(false);
    // Another key (another terminal's file): nothing is shown.
    const stranger = terminal(randomBytes(32));
    expect(stranger.wardCopy!.describe()).toBeNull();
    await stranger.close();
    // An older copy put back after a newer one was written: refused (its generation is behind the keychain's).
    copyFileSync(file, `${file}.old`);
    await core.wardCopy!.refreshNow();
    copyFileSync(`${file}.old`, file);
    const restarted = terminal();
    expect(restarted.wardCopy!.describe()).toBeNull();
    expect(logged.some((m) => m.includes('older copy'))).toBe(true);
    await restarted.close();
    // Written again, a restart reads it back.
    await core.wardCopy!.refreshNow();
    const again = terminal();
    expect(again.wardCopy!.describe()?.takenFor).toBe('Nia Nurse');
    await again.close();
  });

  it('offline it is shown read only to that nurse; nothing clinical is recorded; others get no copy', async () => {
    await signIn(core, 'nurse2-window', 'nurse2@demo.clinic');
    // Nurse 2's sign-in reads the copy as her; nurse 1 signs in again, so the copy is hers once more.
    await core.wardCopy!.refreshNow();
    await signIn(core, 'nurse-window', 'nurse@demo.clinic');
    await core.wardCopy!.refreshNow();
    const before = await w.ownerCount(`SELECT count(*) FROM observations WHERE patient_id = $1`, [patientId]);
    proxy.cut();
    try {
      // A dead link: the monitor says so at its second slow check.
      await expect.poll(async () => (await core.monitor.check()).database).toBe('unreachable');
      const copy = await lastKnown(core, 'nurse-window');
      expect(copy?.board.beds.some((b) => b.patient?.patientId === patientId)).toBe(true);
      expect(await lastKnown(core, 'nurse2-window')).toBeNull();
      const observation = await core.dispatch('nurse-window', 'ward/record-observation', {
        patientId,
        takenAt: new Date().toISOString(),
        vitals: { respirationRate: 18, spo2: 97, onOxygen: false, systolicBp: 120, pulse: 80, consciousness: 'A', temperature: 37 },
      });
      expect(observation.ok ? 'recorded' : observation.error.code).toBe('Unavailable');
      const discharge = await core.dispatch('nurse-window', 'ward/discharge-patient', {
        assignmentId: 1,
        reason: 'Went home',
        destination: 'home',
      });
      expect(discharge.ok ? 'recorded' : discharge.error.code).toBe('Unavailable');
    } finally {
      proxy.restore();
    }
    await core.monitor.check();
    expect(await w.ownerCount(`SELECT count(*) FROM observations WHERE patient_id = $1`, [patientId])).toBe(before);
  });

  it('online, a terminal with no ward copy (a front desk, an office) answers null', async () => {
    await w.harness.signIn('office-nurse', 'nurse@demo.clinic');
    expect((await w.value('office-nurse', 'ward/get-last-known-copy', {})) as unknown).toBeNull();
  });
});
