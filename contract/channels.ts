import { z } from 'zod';
import { defineChannel, type ChannelName, type ChannelSpec } from './channel.js';
import {
  DatabaseSettingsView,
  DemoAccounts,
  Email,
  Empty,
  Password,
  PatientId,
  PatientSummary,
  SaveDatabaseSettings,
  SessionUser,
  SystemStatus,
} from './schemas.js';

/**
 * Every IPC channel, declared once. Main registers handlers from this map, preload builds
 * `window.clinic` from it, and the renderer's client is typed by it. Runtime-neutral: zod only.
 */
export const channels = {
  'session/sign-in': defineChannel({
    input: z.object({ email: Email, password: Password }).strict(),
    output: SessionUser,
    access: 'public',
    doc: 'Check email and password and start a session bound to this window.',
  }),
  'session/sign-out': defineChannel({
    input: Empty,
    output: z.object({ signedOut: z.literal(true) }),
    access: 'signed-in',
    doc: "End this window's session.",
  }),
  'session/get-current': defineChannel({
    input: Empty,
    output: SessionUser.nullable(),
    access: 'public',
    doc: 'The user signed in on this window, or null.',
  }),
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
  'patients/get-patient': defineChannel({
    input: z.object({ patientId: PatientId }).strict(),
    output: PatientSummary,
    access: 'patients.read',
    doc: "One patient's demographics by id.",
  }),
  'settings/get-database': defineChannel({
    input: Empty,
    output: DatabaseSettingsView,
    access: 'settings.manage',
    doc: 'Which database this workstation uses and the saved hospital server, never its password.',
  }),
  'settings/save-database': defineChannel({
    input: SaveDatabaseSettings,
    output: z.object({ appliesAfterRestart: z.literal(true) }),
    access: 'settings.manage',
    doc: 'Test and save the hospital server (password to the OS keychain) or go back to the local database.',
  }),
} as const satisfies Record<ChannelName, ChannelSpec>;

export type Channels = typeof channels;
export type ChannelKey = keyof Channels;
export type ChannelInput<C extends ChannelKey> = z.input<Channels[C]['input']>;
export type ParsedInput<C extends ChannelKey> = z.output<Channels[C]['input']>;
export type ChannelOutput<C extends ChannelKey> = z.output<Channels[C]['output']>;

export const CHANNEL_NAMES = Object.keys(channels) as ChannelKey[];

export const isChannelKey = (name: unknown): name is ChannelKey =>
  typeof name === 'string' && Object.hasOwn(channels, name);
