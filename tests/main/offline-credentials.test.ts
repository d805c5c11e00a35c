// Offline sign-in: a user who signed in on this terminal in the last 7 days can sign in while the
// database is unreachable, with front-desk permissions at most; the verifier file is sealed.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../contract/schemas.js';
import { offlineCredentials } from '../../main/offline/offline-credentials.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'offline-users-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = randomBytes(32);
const day = (n: number) => new Date(Date.UTC(2026, 10, 1 + n, 9));

const user = (email: string, permissions: SessionUser['permissions'], roles: SessionUser['roles']): SessionUser => ({
  userId: randomUUID(),
  email,
  displayName: email.split('@')[0]!,
  roles,
  permissions,
  signedInAt: day(0).toISOString(),
});

describe('offline sign-in', () => {
  it('lets a recent user in offline for 7 days, with front-desk permissions at most', async () => {
    const store = offlineCredentials(dir, key);
    const admin = user('admin@demo.clinic', ['patients.read', 'patients.write', 'appointments.write', 'medical_records.read', 'users.manage'], ['admin']);
    await store.remember(admin, 'correct horse battery', day(0));
    const offline = await store.signIn('ADMIN@demo.clinic ', 'correct horse battery', day(6));
    expect(offline).toMatchObject({ userId: admin.userId, roles: ['front_desk'], permissions: ['patients.read', 'patients.write', 'appointments.write'] });
    expect(await store.signIn('admin@demo.clinic', 'wrong', day(1))).toBeNull();
    expect(await store.signIn('nobody@demo.clinic', 'correct horse battery', day(1))).toBeNull();
    expect(await store.signIn('admin@demo.clinic', 'correct horse battery', day(7))).toBeNull(); // too long ago
  });

  it('never lets in a role with nothing to do at the front desk, and forgets on request', async () => {
    const store = offlineCredentials(dir, key);
    const pharmacist = user('pharmacist@demo.clinic', ['pharmacy.dispense', 'prescriptions.read'], ['pharmacist']);
    await store.remember(pharmacist, 'pharmacist password', day(0));
    expect(await store.signIn('pharmacist@demo.clinic', 'pharmacist password', day(1))).toBeNull();
    const clerk = user('frontdesk@demo.clinic', ['patients.read', 'appointments.read', 'appointments.write'], ['front_desk']);
    await store.remember(clerk, 'clerk password!', day(0));
    expect(await store.signIn('frontdesk@demo.clinic', 'clerk password!', day(1))).not.toBeNull();
    store.forget(clerk.userId);
    expect(await store.signIn('frontdesk@demo.clinic', 'clerk password!', day(1))).toBeNull();
  });

  it('keeps verifiers sealed: no emails or hashes in the file, nothing with another key', async () => {
    const raw = readFileSync(path.join(dir, 'offline-users.bin'));
    expect(raw.includes(Buffer.from('demo.clinic'))).toBe(false);
    expect(raw.includes(Buffer.from('argon2id'))).toBe(false);
    expect(await offlineCredentials(dir, randomBytes(32)).signIn('admin@demo.clinic', 'correct horse battery', day(1))).toBeNull();
  });

  it('locks offline sign-in after 5 wrong passwords for 15 minutes, across restarts, like online', async () => {
    const lockDir = mkdtempSync(path.join(os.tmpdir(), 'offline-lockout-'));
    const clerk = user('lockout@demo.clinic', ['patients.read', 'appointments.read', 'appointments.write'], ['front_desk']);
    await offlineCredentials(lockDir, key).remember(clerk, 'the right password', day(0));
    const at = (minutes: number) => new Date(day(1).getTime() + minutes * 60_000);
    for (let i = 0; i < 5; i += 1) expect(await offlineCredentials(lockDir, key).signIn('lockout@demo.clinic', `wrong ${i}`, at(0))).toBeNull();
    const reopened = offlineCredentials(lockDir, key); // what a restarted app reads
    expect(reopened.lockedUntil('lockout@demo.clinic', at(1))).toEqual(at(15));
    expect(await reopened.signIn('lockout@demo.clinic', 'the right password', at(1))).toBeNull();
    expect(await reopened.signIn('lockout@demo.clinic', 'the right password', at(16))).toMatchObject({ userId: clerk.userId });
    expect(reopened.lockedUntil('lockout@demo.clinic', at(16))).toBeNull();
    rmSync(lockDir, { recursive: true, force: true });
  });
});
