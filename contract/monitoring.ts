import { z } from 'zod';
import { defineChannel, type ChannelMap } from './channel.js';
import { Empty } from './common.js';

// Database health (Admin → Database): what the server is doing, maintenance, and the status light.

const Stamp = z.string().nullable();

export const HealthSnapshot = z.object({
  serverVersion: z.string(),
  /** clinic_monitor holds pg_monitor: every session's query is visible. Without it the DBA has a GRANT to run. */
  fullView: z.boolean(),
  canSignal: z.boolean(),
  databaseBytes: z.number(),
  /** The data folder's disk (local database only). */
  disk: z.object({ freeBytes: z.number(), totalBytes: z.number() }).nullable(),
  cacheHitRatio: z.number().nullable(),
  connections: z.array(z.object({ application: z.string(), state: z.string(), login: z.string(), count: z.number().int() })),
  longQuerySeconds: z.number().int(),
  longQueries: z.array(
    z.object({
      pid: z.number().int(),
      login: z.string(),
      application: z.string(),
      state: z.string(),
      started: Stamp,
      seconds: z.number(),
      waitEvent: z.string().nullable(),
      query: z.string(),
    }),
  ),
  tables: z.array(
    z.object({
      name: z.string(),
      totalBytes: z.number(),
      liveRows: z.number(),
      deadRows: z.number(),
      lastVacuum: Stamp,
      lastAutovacuum: Stamp,
      lastAnalyze: Stamp,
      lastAutoanalyze: Stamp,
    }),
  ),
  archiver: z.object({
    archiveMode: z.string().nullable(),
    archivedCount: z.number(),
    lastArchivedTime: Stamp,
    failedCount: z.number(),
    lastFailedWal: z.string().nullable(),
    lastFailedTime: Stamp,
    failing: z.boolean(),
  }),
  statements: z.object({
    available: z.boolean(),
    reason: z.string().nullable(),
    rows: z.array(z.object({ query: z.string(), calls: z.number(), totalMs: z.number(), meanMs: z.number(), rows: z.number() })),
  }),
  migrations: z.object({ applied: z.number().int(), latest: z.string().nullable(), pending: z.array(z.string()).nullable() }),
  /** Maintenance runs from this workstation only where it holds the owner's connection (the local database). */
  maintenanceAvailable: z.boolean(),
  settings: z.object({ longQueryMinutes: z.number().int(), diskWarningPercent: z.number().int() }),
});
export type HealthSnapshot = z.infer<typeof HealthSnapshot>;

export const MAINTENANCE_ACTIONS = ['analyze', 'vacuum', 'vacuum-full', 'reindex'] as const;
export const MaintenanceAction = z.enum(MAINTENANCE_ACTIONS);
export type MaintenanceAction = z.infer<typeof MaintenanceAction>;

export const HealthAlert = z.object({
  kind: z.enum(['backup-failed', 'archiving-failing', 'long-query', 'disk-nearly-full']),
  message: z.string(),
});
export type HealthAlert = z.infer<typeof HealthAlert>;

export const monitoringChannels = {
  'monitoring/get-health': defineChannel({
    input: z
      .object({ longQuerySeconds: z.number().int().min(0, 'Use 0 seconds or more').max(86_400, 'Use at most a day').optional() })
      .strict(),
    output: HealthSnapshot,
    access: 'settings.manage',
    doc: 'Connections, long queries, sizes, vacuum state, cache hit ratio, top statements and migrations.',
  }),
  'monitoring/get-alerts': defineChannel({
    input: Empty,
    output: z.object({ alerts: z.array(HealthAlert) }),
    access: 'settings.manage',
    doc: 'What needs an administrator now: a failed backup, failing archiving, a long query, a nearly full disk.',
  }),
  'monitoring/signal-backend': defineChannel({
    input: z
      .object({
        pid: z.number().int().positive().max(2_147_483_647),
        action: z.enum(['cancel', 'terminate']),
        /** Terminating ends the connection and rolls back its work: the second confirmation. */
        confirmed: z.boolean().default(false),
      })
      .strict()
      .refine((input) => input.action === 'cancel' || input.confirmed, {
        message: 'Confirm ending the connection a second time',
        path: ['confirmed'],
      }),
    output: z.object({ signalled: z.boolean() }),
    access: 'settings.manage',
    doc: 'Cancels a running query, or (confirmed twice) ends its connection; recorded in the audit trail.',
  }),
  'monitoring/save-settings': defineChannel({
    input: z
      .object({
        longQueryMinutes: z.number().int().min(1, 'Use at least 1 minute').max(1440, 'Use at most 1,440 minutes'),
        diskWarningPercent: z.number().int().min(50, 'Use at least 50%').max(99, 'Use at most 99%'),
      })
      .strict(),
    output: z.object({ saved: z.literal(true) }),
    access: 'settings.manage',
    doc: 'Sets the long-query threshold and the disk warning level.',
  }),
  'monitoring/run-maintenance': defineChannel({
    input: z
      .object({
        table: z
          .string()
          .trim()
          .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'Choose a table from the list'),
        action: MaintenanceAction,
        /** VACUUM FULL locks the table for its whole run: the administrator has read the warning. */
        acceptLock: z.boolean().default(false),
      })
      .strict()
      .refine((input) => input.action !== 'vacuum-full' || input.acceptLock, {
        message: 'VACUUM FULL locks the table until it ends: confirm the warning',
        path: ['acceptLock'],
      }),
    output: z.object({ table: z.string(), action: MaintenanceAction, millis: z.number().int() }),
    access: 'settings.manage',
    doc: 'ANALYZE, VACUUM, VACUUM FULL (refused while others are signed in) or REINDEX CONCURRENTLY one table.',
  }),
} satisfies ChannelMap<'monitoring'>;
