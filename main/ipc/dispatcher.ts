import type { Kysely } from 'kysely';
import { channels, isChannelKey, type ChannelKey } from '../../contract/index.js';
import { fail, ok, type Result } from '../../contract/errors.js';
import type { DemoAccounts, SessionUser, SystemStatus } from '../../contract/index.js';
import type { SenderId, SessionStore } from '../auth/session-store.js';
import type { DatabaseSettingsDeps } from '../config/database-settings.js';
import type { Database } from '../db/database.js';
import { primaryOnly, type TransactionRouter } from '../db/replica-routing.js';
import { issuesFromZod, toClinicError, type InternalLogger } from './error-mapping.js';
import type { Terminal } from '../shared/terminal.js';
import { failure } from '../shared/failure.js';
import type { HandlerContext, HandlerMap } from './handler-types.js';
import { refusedInput } from './input-size.js';
import type { OfflineRoute } from './offline-route.js';

export interface DispatcherDeps {
  handlers: HandlerMap;
  sessions: SessionStore;
  /** The database, or null while it is starting or failed to migrate. */
  db: () => Kysely<Database> | null;
  status: () => SystemStatus;
  demoAccounts?: () => DemoAccounts | null;
  databaseSettings?: DatabaseSettingsDeps | null;
  logInfo?: (message: string) => void;
  now: () => Date;
  terminal: Terminal;
  medicalHistoryKey?: () => string | null;
  logInternal: InternalLogger;
  /** Where requests are answered while the database is away (a front desk's offline desk); null: nowhere. */
  offline?: OfflineRoute | null;
  /** A user proved their password on this terminal; called after COMMIT (the offline desk remembers them). */
  onSignedIn?: (user: SessionUser, password: string) => Promise<void>;
  /** Told when a request found the database unreachable, so the monitor checks at once. */
  onUnreachable?: () => void;
  /** Where transactions run: all on the primary, or reads on a replica (db/replica-routing.ts). */
  transactions?: TransactionRouter;
}

export type Dispatch = (senderId: SenderId, channel: unknown, rawInput: unknown) => Promise<Result<unknown>>;

/**
 * The one door: every request from every window passes here, in this order —
 * known channel, size, input schema (before any SQL), session, permission, transaction, output schema.
 * It never throws: every outcome is a Result with a code from the closed set.
 */
export function createDispatcher(deps: DispatcherDeps): Dispatch {
  return async (senderId, channel, rawInput) => {
    try {
      if (!isChannelKey(channel)) return fail('NotFound', 'That action does not exist.');
      const spec = channels[channel];
      const refused = refusedInput(rawInput); // size, and plain data only, before the schema walks it
      if (refused) return fail('Validation', refused);
      const parsed = spec.input.safeParse(rawInput);
      if (!parsed.success) return fail('Validation', 'Some of the details are not valid.', issuesFromZod(parsed.error));

      const status = deps.sessions.status(senderId); // applies the idle lock and the 12-hour limit
      const session = deps.sessions.get(senderId) ?? null;
      if (spec.access !== 'public') {
        if (status === 'none') return fail('Unauthorized', 'Please sign in first.');
        if (status === 'expired') return fail('Unauthorized', 'Your session has reached its time limit. Please sign in again.');
        if (status === 'locked' && spec.access !== 'session')
          return fail('Unauthorized', 'The screen is locked. Enter your password to continue.');
        if (spec.access !== 'session' && spec.access !== 'signed-in' && !session!.user.permissions.includes(spec.access)) {
          return fail('Forbidden', 'Your role does not allow this action.');
        }
        if (spec.access !== 'session') deps.sessions.touch(senderId);
      }

      const signedIn: { user: SessionUser; password: string }[] = [];
      const value = await run(channel, parsed.data, {
        senderId,
        session,
        sessions: deps.sessions,
        status: deps.status,
        demoAccounts: deps.demoAccounts ?? (() => null),
        databaseSettings: deps.databaseSettings ?? null,
        logInfo: deps.logInfo ?? (() => undefined),
        now: deps.now,
        terminal: deps.terminal,
        medicalHistoryKey: deps.medicalHistoryKey ?? (() => null),
        signedIn: (user, password) => void signedIn.push({ user, password }),
      });
      // Committed: only now may what the password proves be kept (offline sign-in on this terminal).
      for (const { user, password } of signedIn) {
        await deps
          .onSignedIn?.(user, password)
          .catch((error: unknown) => deps.logInternal('Could not keep a sign-in for offline use', error));
      }
      const output = spec.output.safeParse(value);
      if (!output.success) {
        deps.logInternal(`Handler for ${channel} returned a value that breaks its contract`, output.error);
        return fail('Internal', 'Something went wrong on this workstation. The problem has been logged.');
      }
      return ok(output.data);
    } catch (error) {
      const mapped = toClinicError(error, deps.logInternal);
      return { ok: false, error: mapped };
    }
  };

  async function run(channel: ChannelKey, input: unknown, ctx: HandlerContext): Promise<unknown> {
    const offline = deps.offline ?? null;
    if (offline?.takes(channel)) return offline.serve(channel, input, ctx);
    // One generic call site: the HandlerMap type already ties each handler to its channel's types.
    const handler = deps.handlers[channel];
    if (handler.kind === 'local') return (handler.run as (i: unknown, c: HandlerContext) => unknown)(input, ctx);
    const db = deps.db();
    if (!db) throw failure('Unavailable', 'The hospital database is not ready yet.');
    const runHandler = handler.run as (trx: Kysely<Database>, i: unknown, c: HandlerContext) => Promise<unknown>;
    let started = false;
    const transactions = deps.transactions ?? primaryOnly;
    const userId = ctx.session?.user.userId ?? null;
    // Whose writes this request must see on a replica: this window's (a sign-in has no user yet), and its user's.
    const keys = userId ? [`window:${ctx.senderId}`, `user:${userId}`] : [`window:${ctx.senderId}`];
    try {
      const place = !handler.readOnly ? transactions.write : handler.onPrimary ? primaryOnly.read : transactions.read;
      const value = await place(db, keys, userId, (trx) => {
        started = true;
        return runHandler(trx, input, ctx);
      });
      if (offline?.afterOnline)
        await offline
          .afterOnline(channel, input, value, ctx)
          .catch((error: unknown) => deps.logInternal('Offline bookkeeping failed after an online request', error));
      return value;
    } catch (error) {
      if (toClinicError(error, () => undefined).code !== 'Unavailable') throw error;
      deps.onUnreachable?.();
      // Safe to answer offline only when nothing can have reached the server: a read, or a write whose transaction never began.
      if (offline?.serves(channel) && (handler.readOnly || !started)) return offline.serve(channel, input, ctx);
      throw error;
    }
  }
}
