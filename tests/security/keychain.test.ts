// The real OS keychain: Debian's gnome-keyring under its own dbus session, unlocked with a test
// password, in a throwaway HOME so no real keyring is touched.
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const CHILD = path.join(ROOT, 'tests/support/keychain-child.ts');

async function runChild(withKeyring: boolean) {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'keyring-home-'));
  const env = { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, '.local/share'), XDG_RUNTIME_DIR: home };
  const run = withKeyring
    ? spawnSync(
        'dbus-run-session',
        [
          '--',
          'sh',
          '-c',
          `printf '%s' "$KEYRING_TEST_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "${TSX}" "${CHILD}"`,
        ],
        {
          env: { ...env, KEYRING_TEST_PASSWORD: 'keyring-test-password' },
          encoding: 'utf8',
          timeout: 60_000,
        },
      )
    : spawnSync(TSX, [CHILD], { env: { ...env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${home}/no-bus` }, encoding: 'utf8', timeout: 60_000 });
  await fs.rm(home, { recursive: true, force: true });
  if (run.error) throw run.error;
  const json = run.stdout.slice(run.stdout.indexOf('{'));
  return JSON.parse(json) as Record<string, unknown>;
}

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
