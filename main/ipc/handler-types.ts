import type { Kysely } from 'kysely';
import type { ChannelKey, ChannelOutput, ParsedInput } from '../../contract/index.js';
import type { DemoAccounts, SessionUser, SystemStatus } from '../../contract/index.js';
import type { Session, SenderId, SessionStore } from '../auth/session-store.js';
import type { DatabaseSettingsDeps } from '../config/database-settings.js';
import type { Database } from '../db/database.js';
import type { Terminal } from '../shared/terminal.js';
import { failure } from '../shared/failure.js';

/** What every handler may use. The user comes from main's session, never from the input. */
export interface HandlerContext {
  senderId: SenderId;
  session: Session | null;
  sessions: SessionStore;
  status: () => SystemStatus;
  demoAccounts: () => DemoAccounts | null;
  /** Where this workstation's settings live; null where settings cannot be changed (tests of other things). */
  databaseSettings: DatabaseSettingsDeps | null;
  logInfo: (message: string) => void;
  /** The clock every time-based rule reads (idle lock, lockout, token expiry). */
  now: () => Date;
  terminal: Terminal;
  /** The medical-history encryption key from the OS keychain, or null where none is installed. */
  medicalHistoryKey: () => string | null;
  /**
   * A user proved this password on this terminal (sign-in, unlock, a password change): told to the
   * composition root's hook once the transaction has committed, never before.
   */
  signedIn(user: SessionUser, password: string): void;
}

export type DbHandler<C extends ChannelKey> = {
  kind: 'db';
  /** Runs in a READ ONLY transaction, and may answer before its COMMIT returns. */
  readOnly: boolean;
  /** Never sent to a read replica (readingOnPrimary). */
  onPrimary?: true;
  run: (trx: Kysely<Database>, input: ParsedInput<C>, ctx: HandlerContext) => Promise<ChannelOutput<C>>;
};
export type LocalHandler<C extends ChannelKey> = {
  kind: 'local';
  run: (input: ParsedInput<C>, ctx: HandlerContext) => Promise<ChannelOutput<C>> | ChannelOutput<C>;
};

/** Exactly one handler per contract channel: a missing or extra one is a type error. */
export type HandlerMap = { [C in ChannelKey]: DbHandler<C> | LocalHandler<C> };
/** A feature's handlers, typed from its own contract file (`typeof sessionChannels`): one per channel, no other. */
export type HandlersFor<Channels> = { [C in keyof Channels & ChannelKey]: DbHandler<C> | LocalHandler<C> };

/** Runs inside the one door's transaction; answers only once COMMIT has succeeded. */
export const inTransaction = <C extends ChannelKey>(run: DbHandler<C>['run']): DbHandler<C> => ({ kind: 'db', readOnly: false, run });
/**
 * Reads only: the database refuses any write it attempts (READ ONLY transaction).
 * Where reads run when a read replica is configured: `reading` may answer from the standby, at most
 * ~1 s behind the primary and never behind this window's or user's own writes (db/replica-routing.ts);
 * `readingOnPrimary` always reads the primary — for reads about the primary itself (health, activity)
 * and for every read whose answer gates a clinical action (MAR, due doses, the administration check,
 * allergies, prescribing checks): a write made a moment ago at another terminal must never be missed there.
 */
export const reading = <C extends ChannelKey>(run: DbHandler<C>['run']): DbHandler<C> => ({ kind: 'db', readOnly: true, run });
/** Reads only, always on the primary (see `reading` for which reads must be). */
export const readingOnPrimary = <C extends ChannelKey>(run: DbHandler<C>['run']): DbHandler<C> => ({
  kind: 'db',
  readOnly: true,
  onPrimary: true,
  run,
});
/** Needs no database (session and status lookups), so it still answers while the database is down. */
export const local = <C extends ChannelKey>(run: LocalHandler<C>['run']): LocalHandler<C> => ({ kind: 'local', run });

/** The signed-in user acting in this request (the one door has already required a session). */
export function actingUserId(ctx: HandlerContext): string {
  if (!ctx.session) throw failure('Unauthorized', 'Please sign in first.');
  return ctx.session.user.userId;
}
