import type { Kysely } from 'kysely';
import type { ChannelKey } from '../../contract/index.js';
import type { SessionStore } from '../auth/session-store.js';
import type { Database } from '../db/database.js';
import type { SecretStore } from '../shared/secret-store.js';
import type { Terminal } from '../shared/terminal.js';
import type { HandlerContext, HandlerMap } from './handler-types.js';

/**
 * What a terminal that keeps a sealed offline copy (a front desk's desk, a ward's copy) is given by the
 * composition root: one shape, so both sit on the same keychain key, folder, clock and session store.
 */
export interface OfflineTerminalParts {
  /** This terminal's offline folder (in the app's data folder). */
  dir: string;
  /** 32 bytes from the OS keychain: seals every file this terminal keeps. */
  key: Buffer;
  /** The OS keychain (tests: an in-memory store), where each sealed file's generation is kept. */
  secrets: SecretStore;
  db: () => Kysely<Database> | null;
  connected: () => boolean;
  now: () => Date;
  terminal: Terminal;
  handlers: HandlerMap;
  sessions: SessionStore;
  logInternal: (message: string, error: unknown) => void;
}

/**
 * Somewhere else a request can be answered when the database is away (a front desk's offline desk).
 * The door knows only this: it asks, and never looks at which channel it is or what its input holds.
 */
export interface OfflineRoute {
  /** Whether this request is answered here now, instead of by its handler (the database is away, or changes wait). */
  takes(channel: ChannelKey): boolean;
  /** Whether this request can be answered here if the database turns out to be unreachable. */
  serves(channel: ChannelKey): boolean;
  serve(channel: ChannelKey, input: unknown, ctx: HandlerContext): Promise<unknown>;
  /** After a request answered online and committed: what the route keeps up to date. */
  afterOnline?(channel: ChannelKey, input: unknown, value: unknown, ctx: HandlerContext): Promise<void>;
}
