// The sealed files' generations in the real OS keychain: Debian's gnome-keyring under its own dbus
// session, unlocked with a test password, in a throwaway HOME so no real keyring is touched.
// Restoring an older offline-users.bin after an offline lockout is refused.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInKeyringSession } from '../support/keyring-session.js';

const CHILD = path.resolve(import.meta.dirname, '../support/sealed-keychain-child.ts');

describe('sealed-file generations in the OS keychain (@napi-rs/keyring on gnome-keyring)', () => {
  it('refuses an older offline-users.bin put back after an offline lockout', async () => {
    const report = await runInKeyringSession(CHILD);
    expect(report).toEqual({
      signedInBefore: true,
      locked: true,
      generationInKeychain: expect.stringMatching(/^\d+$/),
      signedInAfterRestore: false,
    });
    expect(Number(report.generationInKeychain)).toBeGreaterThanOrEqual(7); // remember, reconcile, one right and five wrong passwords
  });
});
