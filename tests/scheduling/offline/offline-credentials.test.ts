// Offline sign-in: a user who signed in on this terminal in the last 7 days can sign in while the
// database is unreachable, with front-desk permissions at most (what they are shown offline is
// decided by coverage: offline-desk.test.ts); the verifier file is sealed to its purpose and to a generation kept in the
// keychain, so an older copy put back is refused. Not real here: the keychain is an in-memory
// secret store (the real one: offline-sealed-keychain.test.ts, under gnome-keyring).
import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../contract/index.js';
import { offlineCredentials } from '../../../main/scheduling/offline/offline-credentials.js';
import { memorySecretStore, testSealedFiles } from '../../support/memory-secrets.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'offline-users-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const day = (n: number) => new Date(Date.UTC(2026, 10, 1 + n, 9));
const SET = 'working-set-1';

const user = (email: string, permissions: SessionUser['permissions'], roles: SessionUser['roles']): SessionUser => ({
  userId: randomUUID(),
  email,
  displayName: email.split('@')[0]!,
  roles,
  permissions,
  signedInAt: day(0).toISOString(),
});

/** A terminal's offline folder with its key and (in-memory) keychain; `open` is what a restarted app does. */
function terminal() {
  const dir = mkdtempSync(path.join(root, 'terminal-'));
  const files = testSealedFiles(randomBytes(32), memorySecretStore());
  return { dir, files, open: () => offlineCredentials(dir, files), file: path.join(dir, 'offline-users.bin') };
}

/** What a refresh does: the server confirms who is still active and who sees all of working set SET. */
function confirm(
  store: ReturnType<typeof offlineCredentials>,
  active: SessionUser[],
  covered: SessionUser[],
  inactive: SessionUser[] = [],
) {
  const ids = [...active, ...inactive].map((u) => u.userId);
  return store.reconcile(
    ids,
    [
      ...active.map((u) => ({ userId: u.userId, isActive: true, fingerprint: 'f' })),
      ...inactive.map((u) => ({ userId: u.userId, isActive: false, fingerprint: 'f' })),
    ],
    { setId: SET, covered: new Set(covered.map((u) => u.userId)) },
  );
}

describe('offline sign-in', () => {
  const shared = terminal();

  it('lets a recent, covered user in offline for 7 days, with front-desk permissions at most', async () => {
    const store = shared.open();
    const admin = user(
      'admin@demo.clinic',
      ['patients.read', 'patients.write', 'appointments.write', 'medical_records.read', 'users.manage'],
      ['admin'],
    );
    await store.remember(admin, 'correct horse battery', day(0));
    confirm(store, [admin], [admin]);
    expect(await store.signIn('ADMIN@demo.clinic ', 'correct horse battery', day(6))).toMatchObject({
      userId: admin.userId,
      roles: ['front_desk'],
      permissions: ['patients.read', 'patients.write', 'appointments.write'],
    });
    expect(await store.signIn('admin@demo.clinic', 'wrong', day(1))).toBeNull();
    expect(await store.signIn('nobody@demo.clinic', 'correct horse battery', day(1))).toBeNull();
    expect(await store.signIn('admin@demo.clinic', 'correct horse battery', day(7))).toBeNull(); // too long ago
    // Signing in online again keeps what the server confirmed.
    await store.remember(admin, 'correct horse battery', day(1));
    expect(await store.signIn('admin@demo.clinic', 'correct horse battery', day(2))).not.toBeNull();
  });

  it('never lets in a role with nothing to do at the front desk, and forgets on request', async () => {
    const store = shared.open();
    const pharmacist = user('pharmacist@demo.clinic', ['pharmacy.dispense', 'prescriptions.read'], ['pharmacist']);
    await store.remember(pharmacist, 'pharmacist password', day(0));
    confirm(store, [pharmacist], [pharmacist]);
    expect(await store.signIn('pharmacist@demo.clinic', 'pharmacist password', day(1))).toBeNull();
    const clerk = user('frontdesk@demo.clinic', ['patients.read', 'appointments.read', 'appointments.write'], ['front_desk']);
    await store.remember(clerk, 'clerk password!', day(0));
    confirm(store, [clerk], [clerk]);
    expect(await store.signIn('frontdesk@demo.clinic', 'clerk password!', day(1))).not.toBeNull();
    store.forget(clerk.userId);
    expect(await store.signIn('frontdesk@demo.clinic', 'clerk password!', day(1))).toBeNull();
  });

  it('records whom the server showed the whole working set, set by set (a nurse is remembered but not covered)', async () => {
    const store = shared.open();
    const nurse = user('nurse@demo.clinic', ['patients.read', 'appointments.read', 'medical_records.read'], ['nurse']);
    const clerk = user(
      'clerk2@demo.clinic',
      ['patients.read', 'patients.write', 'appointments.read', 'appointments.write'],
      ['front_desk'],
    );
    await store.remember(nurse, 'nurse password', day(0));
    await store.remember(clerk, 'clerk password', day(0));
    expect(store.coveredUsers(SET).has(clerk.userId), 'not before a refresh confirmed it').toBe(false);
    confirm(store, [nurse, clerk], [clerk]);
    expect(store.coveredUsers(SET).has(clerk.userId)).toBe(true);
    expect(store.coveredUsers(SET).has(nurse.userId)).toBe(false);
    expect(store.coveredUsers('another-working-set').size).toBe(0);
    expect(store.coveredUsers(null).size).toBe(0);
    await store.remember(clerk, 'clerk password', day(1)); // signing in again keeps what the server confirmed
    expect(store.coveredUsers(SET).has(clerk.userId)).toBe(true);
  });

  it('keeps verifiers sealed: no emails or hashes in the file, nothing with another key', async () => {
    const raw = readFileSync(shared.file);
    expect(raw.includes(Buffer.from('demo.clinic'))).toBe(false);
    expect(raw.includes(Buffer.from('argon2id'))).toBe(false);
    const otherKey = offlineCredentials(shared.dir, { ...shared.files, key: randomBytes(32) });
    expect(await otherKey.signIn('admin@demo.clinic', 'correct horse battery', day(1))).toBeNull();
  });

  it('locks offline sign-in after 5 wrong passwords for 15 minutes, across restarts, like online', async () => {
    const t = terminal();
    const clerk = user('lockout@demo.clinic', ['patients.read', 'appointments.read', 'appointments.write'], ['front_desk']);
    await t.open().remember(clerk, 'the right password', day(0));
    confirm(t.open(), [clerk], [clerk]);
    const at = (minutes: number) => new Date(day(1).getTime() + minutes * 60_000);
    for (let i = 0; i < 5; i += 1) expect(await t.open().signIn('lockout@demo.clinic', `wrong ${i}`, at(0))).toBeNull();
    const reopened = t.open(); // what a restarted app reads
    expect(reopened.lockedUntil('lockout@demo.clinic', at(1))).toEqual(at(15));
    expect(await reopened.signIn('lockout@demo.clinic', 'the right password', at(1))).toBeNull();
    expect(await reopened.signIn('lockout@demo.clinic', 'the right password', at(16))).toMatchObject({ userId: clerk.userId });
    expect(reopened.lockedUntil('lockout@demo.clinic', at(16))).toBeNull();
  });
});

describe('an older offline-users.bin put back (the attack of issue 8 §5)', () => {
  it('does not clear an offline lockout: the older copy is refused, so no one signs in offline until the next online sign-in', async () => {
    const t = terminal();
    const clerk = user('clerk@demo.clinic', ['patients.read', 'appointments.read', 'appointments.write'], ['front_desk']);
    await t.open().remember(clerk, 'the right password', day(0));
    confirm(t.open(), [clerk], [clerk]);
    const before = `${t.file}.before-lockout`;
    copyFileSync(t.file, before);
    for (let i = 0; i < 5; i += 1) await t.open().signIn('clerk@demo.clinic', `guess ${i}`, day(1));
    expect(t.open().lockedUntil('clerk@demo.clinic', day(1))).not.toBeNull();

    copyFileSync(before, t.file); // the attacker restores the copy taken before the lockout
    const restarted = t.open();
    expect(await restarted.signIn('clerk@demo.clinic', 'the right password', day(1))).toBeNull();
    expect(
      await restarted.signIn('clerk@demo.clinic', 'the right password', day(2)),
      'fails closed, not open, once the lock would have ended',
    ).toBeNull();
    expect(t.files.logged.join('\n')).toMatch(/offline-users\.bin refused: it is an older copy/);
    expect(t.files.logged.join('\n')).not.toContain('clerk@demo.clinic');
  });

  it('does not bring back a pharmacist the server deactivated', async () => {
    const t = terminal();
    // A pharmacist whose role also reads patients (so they were remembered here), covered at the time.
    const pharmacist = user('pharmacist@demo.clinic', ['patients.read', 'appointments.read', 'appointments.write'], ['pharmacist']);
    await t.open().remember(pharmacist, 'pharmacist password', day(0));
    confirm(t.open(), [pharmacist], [pharmacist]);
    expect(await t.open().signIn('pharmacist@demo.clinic', 'pharmacist password', day(1))).not.toBeNull();
    const whileActive = `${t.file}.while-active`;
    copyFileSync(t.file, whileActive);

    expect(confirm(t.open(), [], [], [pharmacist])).toEqual(['pharmacist@demo.clinic']); // the refresh after the server switched them off
    expect(await t.open().signIn('pharmacist@demo.clinic', 'pharmacist password', day(1))).toBeNull();

    copyFileSync(whileActive, t.file);
    expect(await t.open().signIn('pharmacist@demo.clinic', 'pharmacist password', day(1))).toBeNull();
  });

  it('a crash between writing the file and moving the keychain on leaves the newest file readable, and settles it', async () => {
    const t = terminal();
    const clerk = user('crash@demo.clinic', ['patients.read', 'appointments.read', 'appointments.write'], ['front_desk']);
    const generation = () => t.files.generations.current('offline-users')!;
    await t.open().remember(clerk, 'the right password', day(0));
    const older = `${t.file}.older`;
    copyFileSync(t.file, older);
    const settled = generation();
    // The write reaches the disk, then the app dies before the keychain is told.
    const crashing = offlineCredentials(t.dir, {
      ...t.files,
      generations: {
        current: t.files.generations.current,
        settle: () => {
          throw new Error('killed');
        },
      },
    });
    expect(() => confirm(crashing, [clerk], [clerk])).toThrow('killed');
    expect(generation()).toBe(settled);

    expect(await t.open().signIn('crash@demo.clinic', 'the right password', day(1)), 'the newest copy is read').not.toBeNull();
    expect(generation()).toBeGreaterThan(settled + 1); // settled on reading, and moved on by the sign-in's own write
    copyFileSync(older, t.file);
    expect(await t.open().signIn('crash@demo.clinic', 'the right password', day(1))).toBeNull();
  });
});
