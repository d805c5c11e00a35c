// The sealed files' generations in the real OS keychain: Debian's gnome-keyring under its own dbus
// session, unlocked with a test password, in a throwaway HOME so no real keyring is touched.
// Restoring an older offline-users.bin after an offline lockout is refused.
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const CHILD = path.join(ROOT, 'tests/support/sealed-keychain-child.ts');

describe('sealed-file generations in the OS keychain (@napi-rs/keyring on gnome-keyring)', () => {
  it('refuses an older offline-users.bin put back after an offline lockout', async () => {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), 'keyring-home-'));
    const run = spawnSync(
      'dbus-run-session',
      [
        '--',
        'sh',
        '-c',
        `printf '%s' "$KEYRING_TEST_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "${TSX}" "${CHILD}"`,
      ],
      {
        env: {
          ...process.env,
          HOME: home,
          XDG_DATA_HOME: path.join(home, '.local/share'),
          XDG_RUNTIME_DIR: home,
          KEYRING_TEST_PASSWORD: 'keyring-test-password',
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    await fs.rm(home, { recursive: true, force: true });
    if (run.error) throw run.error;
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as Record<string, unknown>;
    expect(report).toEqual({
      signedInBefore: true,
      locked: true,
      generationInKeychain: expect.stringMatching(/^\d+$/),
      signedInAfterRestore: false,
    });
    expect(Number(report.generationInKeychain)).toBeGreaterThanOrEqual(7); // remember, reconcile, one right and five wrong passwords
  });
});
