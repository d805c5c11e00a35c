import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { ChannelKey } from '../../../contract/index.js';
import type { AttentionItem, ParsedResolveAttention, SessionUser } from '../../../contract/index.js';
import type { Database } from '../../db/database.js';
import { inUserTransaction } from '../../db/user-transaction.js';
import { failure } from '../../shared/failure.js';
import type { HandlerContext } from '../../ipc/handler-types.js';
import type { OfflineRoute, OfflineTerminalParts } from '../../ipc/offline-route.js';
import { localNow } from '../../shared/clinic-time.js';
import type { Terminal } from '../../shared/terminal.js';
import { attentionItem, noticeItem, openAttentionStore, type StoredAttention } from './attention.js';
import { resolveAttention } from './attention-fixes.js';
import { buildLocalView, type LocalView } from './local-view.js';
import { offlineCredentials, OFFLINE_PERMISSIONS } from './offline-credentials.js';
import { createOfflineHandlers, isOfflineServed } from './served-offline.js';
import { keychainGenerations } from '../../security/generations.js';
import { openOutbox, type OutboxDamage, type OutboxEntry } from './outbox.js';
import { isOfflineChannel, OFFLINE_SIGN_IN_RECORD } from './replay-types.js';
import { replayOutbox } from './replay.js';
import { createdId } from './replay-store.js';
import type { SealedFiles } from '../../security/sealed-file.js';
import { buildWorkingSet, loadWorkingSet, saveWorkingSet, type WorkingSet } from './working-set.js';
import { coversWorkingSet } from './offline-desk.repository.js';
import { credentialFingerprints } from './offline-desk.repository.js';

/** The key seals the outbox, the working set, the inbox and offline sign-ins. */
export interface OfflineDeskOptions extends OfflineTerminalParts {
  /** The department this terminal books for; all doctors when unset. */
  departmentId?: number;
  /** Told when the number of waiting changes or Needs-attention items changes. */
  onCountsChange: () => void;
  /** Runs replay's and fixes' write transactions (a read replica's router must know of them); default: inUserTransaction. */
  write?: typeof inUserTransaction;
}

const RECENT_PATIENTS = 500;
// The idle lock offline follows the shipped defaults (the settings table is out of reach).
const OFFLINE_IDLE_MINUTES: Record<Terminal['role'], number> = { ward: 5, pharmacy: 15, front_desk: 15, office: 15 };

/**
 * Everything that keeps a front desk booking through a database outage: the working set it keeps
 * while online, the outbox it writes while offline, offline sign-in, replay on reconnect, and the
 * Needs-attention inbox for what the server refused.
 */
export function createOfflineDesk(options: OfflineDeskOptions) {
  const log = (message: string) => options.logInternal(message, undefined);
  const files: SealedFiles = { key: options.key, generations: keychainGenerations(options.secrets), log };
  const credentials = offlineCredentials(options.dir, files);
  const attention = openAttentionStore(options.dir, files, options.now);
  // Damage to the outbox reaches the Needs-attention inbox (durably) before the outbox is rebuilt.
  const outbox = openOutbox(path.join(options.dir, 'outbox'), options.key, {
    log,
    onDamage: (damage) =>
      attention.record(
        damage.flatMap((d) => outboxNotice(d, options.now())),
        {},
      ),
  });
  let workingSet: WorkingSet | null = loadWorkingSet(options.dir, files);
  // Who the working set may be served to offline: those the server showed all of it (see refresh).
  let covered = credentials.coveredUsers(workingSet?.id ?? null);
  let cached: { pending: OutboxEntry[]; set: WorkingSet | null; view: LocalView } | null = null;
  const recentPatients: number[] = [];
  let refreshUser: string | null = null;
  let syncing: Promise<void> | null = null;
  let refreshing: Promise<void> | null = null;
  let refreshAgain: Promise<void> | null = null;

  const pending = () => outbox.pending();
  /** The whole book this terminal keeps, with every waiting change: for replay and the inbox, not for serving. */
  const view = (): LocalView => {
    const entries = pending();
    if (!cached || cached.set !== workingSet || cached.pending.length !== entries.length || cached.pending.at(-1) !== entries.at(-1)) {
      cached = { pending: entries, set: workingSet, view: buildLocalView(workingSet, entries) };
    }
    return cached.view;
  };
  /**
   * What a user is served offline. The working set was read from the server as one user who books;
   * it goes only to users the server showed all of it. Anyone else gets the doctors (not patient
   * data) and their own waiting changes — never more than they see online (a nurse's NotFound stays
   * NotFound, a pharmacist's search finds no one the server would not show them).
   */
  const viewFor = (ctx: HandlerContext): LocalView => {
    const userId = ctx.session?.user.userId;
    if (userId && covered.has(userId)) return view();
    const own = pending().filter((e) => e.userId === userId);
    const doctorsOnly = workingSet ? { ...workingSet, patients: [], appointments: [] } : null;
    return buildLocalView(doctorsOnly, own);
  };

  const handlers = createOfflineHandlers({
    view: viewFor,
    append(partial, ctx) {
      const user = ctx.session!.user;
      const entry: OutboxEntry = {
        ...partial,
        key: randomUUID(),
        userId: user.userId,
        userName: user.displayName,
        createdAt: ctx.now().toISOString(),
      };
      outbox.append(entry); // fsync'd: from here the change survives a crash
      options.onCountsChange();
      return entry;
    },
    nextProvisionalId(kind) {
      const channel = kind === 'patient' ? 'patients/register-patient' : 'scheduling/book-appointment';
      const used = pending()
        .filter((e) => e.channel === channel && e.provisionalId !== undefined)
        .map((e) => e.provisionalId!);
      return Math.min(0, ...used) - 1;
    },
    async signIn(email, password) {
      const user = await credentials.signIn(email, password, options.now());
      if (!user) return null;
      // The server's audit trail learns of this sign-in when the database is back (sealed until then).
      outbox.append({
        key: randomUUID(),
        userId: user.userId,
        userName: user.displayName,
        createdAt: options.now().toISOString(),
        channel: OFFLINE_SIGN_IN_RECORD,
        input: { terminal: options.terminal.name },
        dependsOn: [],
      });
      // Signed in offline, they are still who the working set is refreshed as once the database is back.
      if (user.permissions.includes('appointments.write')) refreshUser = user.userId;
      return user;
    },
    lockedUntil: (email) => credentials.lockedUntil(email, options.now()),
    idleMinutes: () => OFFLINE_IDLE_MINUTES[options.terminal.role],
  });

  const notePatient = (id: unknown) => {
    if (typeof id !== 'number' || id <= 0) return;
    const at = recentPatients.indexOf(id);
    if (at >= 0) recentPatients.splice(at, 1);
    recentPatients.unshift(id);
    recentPatients.length = Math.min(recentPatients.length, RECENT_PATIENTS);
  };

  /**
   * Rebuilds the working set from the server as `userId` (row level security applies), sealed to
   * disk, and asks the server, in each remembered user's own context, whether they see all of it:
   * offline, the set is served only to those who do (viewFor).
   */
  async function refresh(userId: string): Promise<void> {
    const db = options.db();
    if (!db || !options.connected()) return;
    const today = localNow(options.now()).date;
    const asked = credentials.userIds();
    const [built, fingerprints] = await inUserTransaction(
      db,
      userId,
      async (trx) =>
        [
          await buildWorkingSet(trx, { today, departmentId: options.departmentId, recentPatientIds: [...recentPatients] }),
          await credentialFingerprints(trx, asked),
        ] as const,
      { readOnly: true },
    );
    const coveredNow = new Set<string>();
    for (const id of asked) {
      if (await inUserTransaction(db, id, (trx) => coversWorkingSet(trx, built), { readOnly: true })) coveredNow.add(id);
    }
    saveWorkingSet(options.dir, files, built);
    workingSet = built;
    // Offline sign-in follows the server: switched off or password changed elsewhere → forgotten here.
    credentials.reconcile(asked, fingerprints, { setId: built.id, covered: coveredNow });
    covered = credentials.coveredUsers(built.id);
  }

  async function replay(db: Kysely<Database>): Promise<void> {
    const entries = pending();
    if (entries.length === 0) return;
    const described = view(); // names for the inbox, from before the entries leave the view
    const byKey = new Map(entries.map((e) => [e.key, e]));
    await replayOutbox(db, entries, {
      handlers: options.handlers,
      sessions: options.sessions,
      terminal: options.terminal,
      logInternal: options.logInternal,
      write: options.write,
      onBatch: (outcomes) => {
        const added: StoredAttention[] = [];
        const learned: Record<string, number> = {};
        for (const outcome of outcomes) {
          if (outcome.outcome === 'needs-attention') added.push(attentionItem(outcome, described));
          else {
            const entry = byKey.get(outcome.key)!;
            const id = createdId(entry, outcome.value);
            if (id !== null) learned[entry.key] = id;
          }
        }
        // The inbox first, then "done": a crash between them repeats a replay, which the server answers from its record.
        attention.record(added, learned);
        outbox.markDone(outcomes.map((o) => o.key));
        options.onCountsChange();
      },
    });
    if (pending().length === 0) outbox.compact();
  }

  /** Keeps the working set fresh while online (as the last user who books and signed in here). */
  function refreshNow(): Promise<void> {
    if (!refreshUser) return Promise.resolve();
    if (!refreshing) {
      refreshing = refresh(refreshUser).finally(() => (refreshing = null));
      return refreshing;
    }
    // One is under way, begun before this call: run one more after it (one at most), so what the
    // caller has just changed is in the copy it waits for.
    refreshAgain ??= refreshing
      .catch(() => undefined)
      .then(() => {
        refreshAgain = null;
        return refreshNow();
      });
    return refreshAgain;
  }

  /** Sends the waiting changes, if the database is back; one run at a time. */
  function sync(): Promise<void> {
    const db = options.db();
    if (!db || !options.connected() || pending().length === 0) return syncing ?? Promise.resolve();
    syncing ??= replay(db)
      .then(() => refreshNow())
      .catch((error: unknown) => options.logInternal('Replay stopped; it resumes when the database answers again', error))
      .finally(() => (syncing = null));
    return syncing;
  }

  /** The inbox names patients: it is shown to those the terminal's offline data may be shown to. */
  const listAttention = (ctx: HandlerContext): AttentionItem[] =>
    ctx.session && covered.has(ctx.session.user.userId) ? attention.items().map((s) => s.item) : [];

  async function resolve(request: ParsedResolveAttention, ctx: HandlerContext): Promise<AttentionItem[]> {
    const db = options.db();
    if (!db || !options.connected()) throw failure('Unavailable', 'Items can be fixed once the hospital database is back.');
    if (!ctx.session || !covered.has(ctx.session.user.userId))
      throw failure('Forbidden', 'The Needs-attention list is for staff who see the whole front-desk book.');
    const items = await resolveAttention(request, ctx, {
      db,
      store: attention,
      handlers: options.handlers,
      view,
      logInternal: options.logInternal,
      write: options.write,
    });
    options.onCountsChange();
    return items;
  }

  // The door's OfflineRoute (ipc/offline-route.ts): it serves here what the database cannot answer now.
  const desk = {
    handlers,
    view,
    // Clerks count their changes; a sign-in record travels with them but is not one.
    counts: () => ({
      waitingChanges: pending().filter((e) => e.channel !== OFFLINE_SIGN_IN_RECORD).length,
      needsAttention: attention.count(),
    }),
    /** Whether this request is answered here rather than by the database. */
    takes(channel: ChannelKey): boolean {
      if (isInboxChannel(channel)) return true; // the inbox lives on this terminal
      if (!isOfflineServed(channel)) return false;
      if (!options.connected()) return true;
      // While changes wait, new ones queue behind them so the server sees them in order.
      return isOfflineChannel(channel) && pending().length > 0;
    },
    serves: (channel: ChannelKey) => isInboxChannel(channel) || isOfflineServed(channel),
    serve(channel: ChannelKey, input: unknown, ctx: HandlerContext): Promise<unknown> {
      if (channel === 'offline/list-attention-items') return Promise.resolve(listAttention(ctx));
      if (channel === 'offline/resolve-attention-item') return resolve(input as ParsedResolveAttention, ctx);
      if (!isOfflineServed(channel)) throw failure('NotFound', 'That action is not available offline.');
      const handler = handlers[channel] as (i: unknown, c: HandlerContext) => unknown;
      return Promise.resolve(handler(input, ctx));
    },
    /** After a request answered online: remember which patients matter here. */
    async afterOnline(_channel: ChannelKey, input: unknown, value: unknown): Promise<void> {
      const v = value as { patientId?: unknown; patient?: { patientId?: unknown } } | null;
      notePatient((input as { patientId?: unknown }).patientId);
      notePatient(v?.patientId);
      notePatient(v?.patient?.patientId);
    },
    /** A user proved this password online here: remember them for offline sign-in, or forget them. */
    async rememberSignIn(user: SessionUser, password: string): Promise<void> {
      if (user.permissions.some((p) => OFFLINE_PERMISSIONS.includes(p))) {
        await credentials.remember(user, password, options.now());
        // The working set is the book of those who book: built as one of them, never as a narrower view.
        if (user.permissions.includes('appointments.write')) {
          refreshUser = user.userId;
          void refreshNow().catch((error: unknown) => options.logInternal('Could not refresh the offline working set', error));
        }
      } else {
        credentials.forget(user.userId);
        covered = credentials.coveredUsers(workingSet?.id ?? null);
      }
    },
    refreshNow,
    sync,
    listAttention,
    resolve,
    close() {
      outbox.close();
    },
  };
  return desk satisfies OfflineRoute;
}

export type OfflineDesk = ReturnType<typeof createOfflineDesk>;

const INBOX_CHANNELS: readonly string[] = ['offline/list-attention-items', 'offline/resolve-attention-item'] satisfies ChannelKey[];
const isInboxChannel = (channel: string) => INBOX_CHANNELS.includes(channel);

/** The Needs-attention notice for damage to the outbox's log (damage to its confirmations only repeats sends, which the server answers once). */
function outboxNotice(damage: OutboxDamage, at: Date): StoredAttention[] {
  if (damage.file !== 'outbox.log') return [];
  const count = `${damage.exact ? '' : 'at least '}${damage.unreadable}`;
  const summary =
    damage.unreadable > 0
      ? `${count} change(s) saved on this terminal while offline could not be read`
      : 'The file of changes waiting on this terminal was altered; every change in it was recovered';
  const kept = damage.keptAs
    ? `The file as it was is kept as ${path.basename(damage.keptAs)} in this terminal's offline folder.`
    : 'The file as it was could not be copied aside.';
  return [
    noticeItem(
      `outbox-damaged:${damage.fingerprint}`,
      at,
      summary,
      `Found: ${damage.problems.join('; ')}. ${damage.recovered} change(s) were read and are sent as usual. ${kept} ${damage.unreadable > 0 ? 'Ask who worked offline on this terminal what they saved, check it on the server, and tell an administrator; then discard this notice.' : 'Tell an administrator; then discard this notice.'}`,
    ),
  ];
}
