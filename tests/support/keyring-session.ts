// A child process in its own dbus session with Debian's gnome-keyring unlocked by a test password, in a
// throwaway HOME, so no real keyring is touched (the keychain tests: @napi-rs/keyring talks to it).
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

// gnome-keyring-daemon returns before it owns the Secret Service name and before the unlocked default
// collection is there: the child starts only once both are (a state, polled; the spawn's timeout bounds it).
const WAIT_FOR_SECRET_SERVICE = [
  `until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; do sleep 0.05; done`,
  `until dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service.ReadAlias string:default 2>/dev/null | grep -q 'object path "/org/freedesktop/secrets/collection/'; do sleep 0.05; done`,
].join('; ');

/** Runs the TypeScript file `child` with the keyring (or, with `withKeyring` false, with no session bus at all); its stdout's JSON. */
export async function runInKeyringSession(child: string, withKeyring = true): Promise<Record<string, unknown>> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'keyring-home-'));
  const env = { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, '.local/share'), XDG_RUNTIME_DIR: home };
  const run = withKeyring
    ? spawnSync(
        'dbus-run-session',
        [
          '--',
          'sh',
          '-c',
          `printf '%s' "$KEYRING_TEST_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && { ${WAIT_FOR_SECRET_SERVICE}; } && exec "${TSX}" "${child}"`,
        ],
        { env: { ...env, KEYRING_TEST_PASSWORD: 'keyring-test-password' }, encoding: 'utf8', timeout: 60_000 },
      )
    : spawnSync(TSX, [child], { env: { ...env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${home}/no-bus` }, encoding: 'utf8', timeout: 60_000 });
  await fs.rm(home, { recursive: true, force: true });
  if (run.error) throw run.error;
  return JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as Record<string, unknown>;
}
