import type { ChannelKey } from '../../../contract/index.js';
import type { ClinicError } from '../../../contract/errors.js';
import type { SessionUser } from '../../../contract/index.js';
import type { SessionStore } from '../../auth/session-store.js';
import type { inUserTransaction } from '../../db/user-transaction.js';
import type { ClinicFailure } from '../../shared/failure.js';
import type { HandlerMap } from '../../ipc/handler-types.js';
import type { Terminal } from '../../shared/terminal.js';
import type { OutboxEntry } from './outbox.js';

// What replay works with: the kinds of change a terminal may queue, and what comes of each.

/** What a terminal may do while the database is unreachable, and so what replay accepts. */
export const OFFLINE_CHANNELS = [
  'patients/register-patient',
  'scheduling/book-appointment',
  'scheduling/reschedule-appointment',
  'scheduling/cancel-appointment',
  'scheduling/set-appointment-status',
] as const satisfies readonly ChannelKey[];
export type OfflineChannel = (typeof OFFLINE_CHANNELS)[number];
export const isOfflineChannel = (channel: string): channel is OfflineChannel => (OFFLINE_CHANNELS as readonly string[]).includes(channel);

export type ReplayOutcome =
  | { key: string; outcome: 'applied' | 'duplicate'; value: unknown }
  /** Refused or clashing: goes to the Needs-attention inbox with the original request. */
  | { key: string; outcome: 'needs-attention'; error: ClinicError; entry: OfflineEntry; blockedBy?: string };

/** An outbox entry as replay reads it. */
export type OfflineEntry = OutboxEntry;

export interface ReplayDeps {
  handlers: HandlerMap;
  sessions: SessionStore;
  terminal: Terminal;
  logInternal: (message: string, error: unknown) => void;
  /** Changes per transaction (each under its own savepoint). */
  batchSize?: number;
  /** Told after each committed batch, so the caller can mark those entries done before the next. */
  onBatch?: (outcomes: ReplayOutcome[]) => void;
  /** Runs each batch's transaction; with a read replica, the router's write path (db/replica-routing.ts). */
  write?: typeof inUserTransaction;
}

/** Stops the current batch: the database went away, nothing of this batch was committed. */
export class DatabaseGone extends Error {}

/** The outbox record of a sign-in made offline: it reaches the server's audit trail like any sign-in. */
export const OFFLINE_SIGN_IN_RECORD = 'audit/offline-sign-in';

/** What one replay run carries from change to change. */
export interface BatchState extends ReplayDeps {
  serverIds: Map<string, number>;
  setAside: Set<string>;
  users: Map<string, SessionUser | ClinicFailure>;
  note: (entry: OfflineEntry, outcome: ReplayOutcome) => void;
}
