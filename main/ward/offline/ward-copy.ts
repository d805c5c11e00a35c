import type { ChannelKey, SessionUser } from '../../../contract/index.js';
import type { WardLastKnownCopy } from '../../../contract/ward-offline.js';
import { inUserTransaction } from '../../db/user-transaction.js';
import type { HandlerContext } from '../../ipc/handler-types.js';
import type { OfflineRoute, OfflineTerminalParts } from '../../ipc/offline-route.js';
import { keychainGenerations } from '../../security/generations.js';
import { readSealedJson, writeSealedJson, type SealedFiles } from '../../security/sealed-file.js';
import { buildWardCopy } from './ward-copy-build.js';

/** The key is the same offline key a front desk uses. */
export interface WardCopyOptions extends OfflineTerminalParts {
  /** The ward this terminal stands on; unset: the signed-in nurse's own department. */
  departmentId?: number;
}

/** What is sealed on disk: the copy, and whose view of the ward it is. */
interface StoredCopy {
  userId: string;
  copy: WardLastKnownCopy;
}

const FILE = 'ward-copy.bin';
const CHANNEL = 'ward/get-last-known-copy' satisfies ChannelKey;
/** Who may keep the ward's copy: those who read the board and the charts. */
const mayKeep = (user: SessionUser) => user.permissions.includes('rooms.read') && user.permissions.includes('medical_records.read');

/**
 * A ward terminal's last-known copy for downtime: the ward's bed board, allergies and the MAR of the
 * next 12 hours, read as the last nurse who signed in here and refreshed each minute while online,
 * stored only sealed (AES-256-GCM, key and generation in the keychain, as the front desk's working
 * set). It is shown only to that nurse, read only: nothing clinical is recorded offline.
 */
export function createWardCopy(options: WardCopyOptions) {
  const log = (message: string) => options.logInternal(message, undefined);
  const files: SealedFiles = { key: options.key, generations: keychainGenerations(options.secrets), log };
  const path = `${options.dir}/${FILE}`;
  const load = (): StoredCopy | null => {
    const read = readSealedJson<StoredCopy>(path, 'ward-copy', files);
    return read.status === 'ok' && typeof read.value?.userId === 'string' ? read.value : null;
  };
  let stored = load();
  let refreshUser: SessionUser | null = null;
  let refreshing: Promise<void> | null = null;
  let refreshAgain: Promise<void> | null = null;

  async function refresh(user: SessionUser): Promise<void> {
    const db = options.db();
    if (!db || !options.connected()) return;
    const copy = await inUserTransaction(
      db,
      user.userId,
      (trx) =>
        buildWardCopy(trx, user, {
          handlers: options.handlers,
          sessions: options.sessions,
          terminal: options.terminal,
          now: options.now(),
          departmentId: options.departmentId,
        }),
      { readOnly: true },
    );
    const next = { userId: user.userId, copy };
    writeSealedJson(path, 'ward-copy', files, next);
    stored = next;
  }

  /** Reads the ward again (as the last nurse signed in here); one at a time, and one more after it if asked meanwhile. */
  function refreshNow(): Promise<void> {
    if (!refreshUser) return Promise.resolve();
    if (!refreshing) {
      refreshing = refresh(refreshUser).finally(() => (refreshing = null));
      return refreshing;
    }
    // A nurse who signed in during a refresh gets her own copy right after it, not a minute later.
    refreshAgain ??= refreshing
      .catch(() => undefined)
      .then(() => {
        refreshAgain = null;
        return refreshNow();
      });
    return refreshAgain;
  }

  /** The copy, only for the nurse it was read as: never more than the server showed them. */
  const copyFor = (ctx: HandlerContext): WardLastKnownCopy | null =>
    stored && ctx.session && stored.userId === ctx.session.user.userId ? stored.copy : null;

  const route = {
    takes: (channel: ChannelKey) => channel === CHANNEL,
    serves: (channel: ChannelKey) => channel === CHANNEL,
    serve: async (_channel: ChannelKey, _input: unknown, ctx: HandlerContext): Promise<unknown> => copyFor(ctx),
  } satisfies OfflineRoute;

  return {
    ...route,
    copyFor,
    refreshNow,
    /** A nurse proved their password here, online: the copy is read again as them. */
    rememberSignIn(user: SessionUser): void {
      if (!mayKeep(user)) return;
      refreshUser = user;
      void refreshNow().catch((error: unknown) => options.logInternal('Could not refresh the ward copy', error));
    },
    /** For the status of the copy (tests, logs): when it was taken and for whom; never patient data. */
    describe: () => (stored ? { takenAt: stored.copy.takenAt, takenFor: stored.copy.takenFor } : null),
  };
}

export type WardCopy = ReturnType<typeof createWardCopy>;
