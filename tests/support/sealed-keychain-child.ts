// Runs inside a dbus session with gnome-keyring: the offline sign-in file sealed with its generation
// in the real OS keychain; an older copy put back after a lockout is refused. Reports what happened.
import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSecret, saveSecret } from '../../main/config/keychain.js';
import { generationAccount, keychainGenerations } from '../../main/security/generations.js';
import { offlineCredentials } from '../../main/scheduling/offline/offline-credentials.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sealed-keychain-'));
const files = { key: randomBytes(32), generations: keychainGenerations({ read: readSecret, save: saveSecret }), log: () => undefined };
const file = path.join(dir, 'offline-users.bin');
const report: Record<string, unknown> = {};
try {
  const now = new Date();
  const clerk = {
    userId: randomUUID(),
    email: 'clerk@demo.clinic',
    displayName: 'Clerk',
    roles: ['front_desk' as const],
    permissions: ['patients.read' as const, 'appointments.read' as const, 'appointments.write' as const],
    signedInAt: now.toISOString(),
  };
  const store = () => offlineCredentials(dir, files);
  await store().remember(clerk, 'the right password', now);
  store().reconcile([clerk.userId], [{ userId: clerk.userId, isActive: true, fingerprint: 'f' }], {
    setId: 'set-1',
    covered: new Set([clerk.userId]),
  });
  report.signedInBefore = (await store().signIn(clerk.email, 'the right password', now)) !== null;
  copyFileSync(file, `${file}.older`);
  for (let i = 0; i < 5; i += 1) await store().signIn(clerk.email, `guess ${i}`, now);
  report.locked = store().lockedUntil(clerk.email, now) !== null;
  report.generationInKeychain = readSecret(generationAccount('offline-users'));
  copyFileSync(`${file}.older`, file);
  report.signedInAfterRestore = (await store().signIn(clerk.email, 'the right password', now)) !== null;
} catch (error) {
  report.error = String(error);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(report));
