import { z } from 'zod';
import { defineChannel, type ChannelMap } from './channel.js';
import { Empty, IsoDateTime } from './common.js';

export const DatabaseState = z.enum(['connected', 'unreachable', 'starting', 'migration-failed']);
export type DatabaseState = z.infer<typeof DatabaseState>;

export const DatabaseStatus = z.object({
  database: DatabaseState,
  mode: z.enum(['embedded', 'server']),
  detail: z.string(),
  checkedAt: IsoDateTime,
});
export type DatabaseStatus = z.infer<typeof DatabaseStatus>;

export const SystemStatus = DatabaseStatus.extend({
  /** Changes saved on this terminal while offline, not yet on the server. */
  waitingChanges: z.number().int().min(0),
  /** Replayed changes the server refused or that clashed, waiting for a person to decide. */
  needsAttention: z.number().int().min(0),
  /** Set when an administrator allowed an unverified connection to a database on another computer. */
  connectionWarning: z.string().optional(),
});
export type SystemStatus = z.infer<typeof SystemStatus>;

export const DemoAccounts = z.object({
  emails: z.array(z.string()),
  password: z.string(),
});
export type DemoAccounts = z.infer<typeof DemoAccounts>;

/** What every screen may ask before sign-in: the database's state and the demo sign-ins. */
export const systemChannels = {
  'system/get-status': defineChannel({
    input: Empty,
    output: SystemStatus,
    access: 'public',
    doc: 'Whether the database is reachable, and which one is in use.',
  }),
  'system/get-demo-accounts': defineChannel({
    input: Empty,
    output: DemoAccounts.nullable(),
    access: 'public',
    doc: 'The demo sign-ins, only on a local demo database made on first run; null otherwise.',
  }),
} as const satisfies ChannelMap<'system'>;
