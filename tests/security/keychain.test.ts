// The real OS keychain: Debian's gnome-keyring under its own dbus session, unlocked with a test
// password, in a throwaway HOME so no real keyring is touched.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInKeyringSession } from '../support/keyring-session.js';

const CHILD = path.resolve(import.meta.dirname, '../support/keychain-child.ts');
const runChild = (withKeyring: boolean) => runInKeyringSession(CHILD, withKeyring);

describe('OS keychain (@napi-rs/keyring on gnome-keyring)', () => {
  it('stores, reads back, rotates and deletes a secret', async () => {
    expect(await runChild(true)).toEqual({
      before: null,
      afterSave: 'correct horse battery staple',
      afterRotate: 'rotated',
      afterDelete: null,
    });
  });

  it('refuses to save, and says so, when the OS has no secure store (no plaintext fallback)', async () => {
    const report = await runChild(false);
    expect(report.error).toBe('KeychainUnavailable');
    expect(report.message).toBe('This computer has no secure credential store available, so the password was not saved.');
  });
});
