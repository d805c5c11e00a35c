import { z } from 'zod';
import { defineChannel, type ChannelMap } from './channel.js';
import { Email, Empty, IsoDateTime, RoleNameSchema, Uuid } from './common.js';

// Administration: users and roles, security settings, this terminal, and the database connection.

export const TerminalRole = z.enum(['ward', 'pharmacy', 'front_desk', 'office']);
export type TerminalRole = z.infer<typeof TerminalRole>;

/** This workstation's identity, set by an administrator: its name in the audit trail, its idle-lock class. */
export const TerminalIdentity = z.object({
  name: z.string().trim().min(1, 'Enter a name for this workstation').max(100),
  role: TerminalRole,
  /** A front desk's department: the doctors whose book it keeps for offline work (all when unset). */
  departmentId: z.number().int().positive().nullable().default(null),
});
export type TerminalIdentity = z.infer<typeof TerminalIdentity>;

export const HospitalServer = z.object({
  host: z
    .string()
    .trim()
    .min(1, 'Enter the server name')
    .max(255)
    .regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/, 'Use a host name or IP address'),
  port: z.number().int().min(1).max(65535),
  database: z.string().trim().min(1, 'Enter the database name').max(63),
  user: z.string().trim().min(1, 'Enter the database user').max(63),
  /** TLS with the certificate and host name checked (verify-full). A server on another computer needs it unless allowInsecure. */
  ssl: z.boolean(),
  /** PEM file of the hospital's own certificate authority; null: the public ones Node trusts. */
  caFile: z.string().trim().min(1).max(1024).nullable().default(null),
  /** An administrator's explicit choice to use a server on another computer without TLS: shown as a warning everywhere. */
  allowInsecure: z.boolean().default(false),
});
export type HospitalServer = z.infer<typeof HospitalServer>;

export const DatabaseSettingsView = z.object({
  /** What this start of the app is using. */
  activeMode: z.enum(['embedded', 'server']),
  /** DATABASE_URL is set: it wins over saved settings. */
  overriddenByEnvironment: z.boolean(),
  hospitalServer: HospitalServer.nullable(),
  passwordStored: z.boolean(),
  /** The connection in use (or about to be) is not verified TLS to another computer, as an administrator allowed. */
  connectionWarning: z.string().nullable(),
});
export type DatabaseSettingsView = z.infer<typeof DatabaseSettingsView>;

export const SaveDatabaseSettings = z.discriminatedUnion('target', [
  z.object({ target: z.literal('embedded') }).strict(),
  z
    .object({
      target: z.literal('server'),
      server: HospitalServer.strict(),
      /** Omitted: keep the password already in the keychain for this server. */
      password: z.string().min(1).max(1024).optional(),
    })
    .strict(),
]);

export const UserRow = z.object({
  userId: Uuid,
  email: z.string(),
  displayName: z.string(),
  isActive: z.boolean(),
  /** Role names as stored; may include roles this version of the app does not know. */
  roles: z.array(z.string()),
  lastLogin: IsoDateTime.nullable(),
  lockedUntil: IsoDateTime.nullable(),
});
export type UserRow = z.infer<typeof UserRow>;

export const RoleRow = z.object({
  roleName: z.string(),
  description: z.string().nullable(),
  permissions: z.array(z.string()),
});
export type RoleRow = z.infer<typeof RoleRow>;

/** A one-time password reset code, shown once to the administrator who issued it. */
export const ResetCode = z.object({ token: z.string(), expiresAt: IsoDateTime });

export const SecuritySettings = z.object({
  lockoutThreshold: z.number().int().min(3).max(20),
  lockoutMinutes: z.number().int().min(1).max(1440),
  sessionMaxHours: z.number().int().min(1).max(12),
  idleMinutes: z.object({
    ward: z.number().int().min(1).max(60),
    pharmacy: z.number().int().min(1).max(60),
    front_desk: z.number().int().min(1).max(60),
    office: z.number().int().min(1).max(60),
  }),
});
export type SecuritySettings = z.infer<typeof SecuritySettings>;

/** Users and roles, security and terminal settings, the database connection. */
export const adminChannels = {
  'settings/get-database': defineChannel({
    input: Empty,
    output: DatabaseSettingsView.extend({ terminal: TerminalIdentity }),
    access: 'settings.manage',
    doc: 'Which database this workstation uses and the saved hospital server, never its password.',
  }),
  'settings/save-database': defineChannel({
    input: SaveDatabaseSettings,
    output: z.object({ appliesAfterRestart: z.literal(true) }),
    access: 'settings.manage',
    doc: 'Test and save the hospital server (password to the OS keychain) or go back to the local database.',
  }),
  'users/list-users': defineChannel({
    input: Empty,
    output: z.array(UserRow),
    access: 'users.manage',
    doc: 'Every user with roles, status, last sign-in and lockout.',
  }),
  'users/create-user': defineChannel({
    input: z
      .object({
        email: Email,
        displayName: z.string().trim().min(1, 'Enter a name').max(100),
        roles: z.array(RoleNameSchema).min(1, 'Choose at least one role').max(5),
      })
      .strict(),
    output: z.object({ userId: Uuid, resetCode: ResetCode }),
    access: 'users.manage',
    doc: 'Create a user; they set their first password with the one-time code returned.',
  }),
  'users/set-user-active': defineChannel({
    input: z.object({ userId: Uuid, active: z.boolean() }).strict(),
    output: UserRow,
    access: 'users.manage',
    doc: 'Deactivate (ending their sessions) or reactivate a user.',
  }),
  'users/set-user-roles': defineChannel({
    input: z.object({ userId: Uuid, roles: z.array(RoleNameSchema).max(5) }).strict(),
    output: UserRow,
    access: 'users.manage',
    doc: "Replace a user's roles (never removing the last active administrator).",
  }),
  'users/issue-reset-code': defineChannel({
    input: z.object({ userId: Uuid }).strict(),
    output: ResetCode,
    access: 'users.manage',
    doc: 'Issue a one-time password reset code, valid 30 minutes, shown once.',
  }),
  'users/unlock-user': defineChannel({
    input: z.object({ userId: Uuid }).strict(),
    output: UserRow,
    access: 'users.manage',
    doc: 'Lift a lockout after failed sign-ins.',
  }),
  'roles/list-roles': defineChannel({
    input: Empty,
    output: z.array(RoleRow),
    access: 'users.manage',
    doc: 'Roles and the permissions each grants.',
  }),
  'settings/save-terminal': defineChannel({
    input: TerminalIdentity.strict(),
    output: z.object({ appliesAfterRestart: z.literal(true) }),
    access: 'settings.manage',
    doc: 'Name this workstation and say where it stands (ward, pharmacy, front desk, office).',
  }),
  'settings/get-security': defineChannel({
    input: Empty,
    output: SecuritySettings,
    access: 'settings.manage',
    doc: 'Lockout, session limit and idle-lock minutes per kind of terminal.',
  }),
  'settings/save-security': defineChannel({
    input: SecuritySettings.strict(),
    output: SecuritySettings,
    access: 'settings.manage',
    doc: 'Change lockout, session limit and idle-lock minutes (the idle lock cannot be switched off).',
  }),
} as const satisfies ChannelMap<'settings' | 'users' | 'roles'>;
