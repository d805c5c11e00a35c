import { z } from 'zod';
import { defineChannel, type ChannelName, type ChannelSpec } from './channel.js';
import {
  DatabaseSettingsView,
  DemoAccounts,
  Email,
  Empty,
  NewPassword,
  Password,
  PatientId,
  LocalId,
  AttentionItem,
  ResolveAttention,
  Appointment,
  BookDay,
  Doctor,
  NewPatient,
  PatientChart,
  PatientSearchResult,
  Slot,
  IsoDate,
  PatientSummary,
  ResetCode,
  RoleNameSchema,
  RoleRow,
  SecuritySettings,
  TerminalIdentity,
  UserRow,
  Uuid,
  SaveDatabaseSettings,
  SessionState,
  SystemStatus,
} from './schemas.js';

/**
 * Every IPC channel, declared once. Main registers handlers from this map, preload builds
 * `window.clinic` from it, and the renderer's client is typed by it. Runtime-neutral: zod only.
 */
export const channels = {
  'session/sign-in': defineChannel({
    input: z.object({ email: Email, password: Password }).strict(),
    output: SessionState,
    access: 'public',
    doc: "Check email and password and start a session bound to this window (replacing a locked one: user switch).",
  }),
  'session/sign-out': defineChannel({
    input: Empty,
    output: z.object({ signedOut: z.literal(true) }),
    access: 'session',
    doc: "End this window's session.",
  }),
  'session/get-current': defineChannel({
    input: Empty,
    output: SessionState.nullable(),
    access: 'public',
    doc: 'The session on this window (and whether it is locked), or null.',
  }),
  'session/unlock-screen': defineChannel({
    input: z.object({ password: Password }).strict(),
    output: SessionState,
    access: 'session',
    doc: 'Unlock this window for the same user with their password.',
  }),
  'session/report-activity': defineChannel({
    input: Empty,
    output: z.object({ locked: z.boolean() }),
    access: 'session',
    doc: 'Keyboard or pointer activity on the screen: postpones the idle lock.',
  }),
  'session/change-password': defineChannel({
    input: z.object({ currentPassword: Password, newPassword: NewPassword }).strict(),
    output: z.object({ passwordChanged: z.literal(true) }),
    access: 'signed-in',
    doc: 'Change your own password (the current one is required); ends your other sessions.',
  }),
  'session/redeem-reset-token': defineChannel({
    input: z.object({ email: Email, token: z.string().trim().min(20).max(100), newPassword: NewPassword }).strict(),
    output: z.object({ passwordChanged: z.literal(true) }),
    access: 'public',
    doc: 'Set a new password with a one-time code from an administrator.',
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
    input: z.object({ patientId: LocalId }).strict(),
    output: PatientSummary,
    access: 'patients.read',
    doc: "One patient's demographics by id.",
  }),
  'patients/open-chart': defineChannel({
    input: z.object({ patientId: PatientId }).strict(),
    output: PatientChart,
    access: 'medical_records.read',
    doc: "Open a patient's chart with the medical history; audited as a read.",
  }),
  'patients/save-medical-history': defineChannel({
    input: z.object({ patientId: PatientId, medicalHistory: z.string().max(20_000) }).strict(),
    output: z.object({ saved: z.literal(true) }),
    access: 'medical_records.write',
    doc: "Replace a patient's medical history (stored encrypted).",
  }),
  'patients/search-patients': defineChannel({
    input: z
      .object({
        query: z.string().trim().min(1).max(100),
        limit: z.number().int().min(1).max(50).default(20),
        /** false: only names that start so (the first, fast answer while typing); true: also inside a name and one typo away. */
        wider: z.boolean().default(true),
      })
      .strict(),
    output: z.array(PatientSearchResult),
    access: 'patients.read',
    doc: 'Find patients by "last, first", first last, partial names, birth date, phone or number; tolerates a typo.',
  }),
  'patients/register-patient': defineChannel({
    input: NewPatient,
    output: z.discriminatedUnion('status', [
      z.object({ status: z.literal('registered'), patient: PatientSummary }),
      z.object({ status: z.literal('possible-duplicates'), candidates: z.array(PatientSearchResult) }),
    ]),
    access: 'patients.write',
    doc: 'Register a patient, first warning of possible duplicates (same name and birth date, or same phone).',
  }),
  'scheduling/list-doctors': defineChannel({
    input: z.object({ departmentId: z.number().int().positive().optional() }).strict(),
    output: z.array(Doctor),
    access: 'appointments.read',
    doc: 'Active doctors (of one department, or all), with their slot length.',
  }),
  'scheduling/get-book': defineChannel({
    input: z.object({ doctorIds: z.array(z.number().int().positive()).min(1).max(20), from: IsoDate, days: z.number().int().min(1).max(7) }).strict(),
    output: z.array(BookDay),
    access: 'appointments.read',
    doc: "The appointment book: each doctor's slots and appointments for one to seven days.",
  }),
  'scheduling/list-patient-appointments': defineChannel({
    input: z.object({ patientId: LocalId }).strict(),
    output: z.array(Appointment),
    access: 'appointments.read',
    doc: "A patient's appointments from today on.",
  }),
  'scheduling/book-appointment': defineChannel({
    input: z.object({ patientId: LocalId, doctorId: z.number().int().positive(), slot: Slot, purpose: z.string().trim().max(255).nullable().default(null) }).strict(),
    output: Appointment,
    access: 'appointments.write',
    doc: 'Book a slot; a clash comes back as Conflict with the next free slots.',
  }),
  'scheduling/reschedule-appointment': defineChannel({
    input: z.object({ appointmentId: LocalId, slot: Slot }).strict(),
    output: Appointment,
    access: 'appointments.write',
    doc: 'Move an appointment to another slot of the same doctor.',
  }),
  'scheduling/cancel-appointment': defineChannel({
    input: z.object({ appointmentId: LocalId, reason: z.string().trim().min(1, 'Give a reason').max(255) }).strict(),
    output: Appointment,
    access: 'appointments.write',
    doc: 'Cancel an appointment with a reason; the slot is free again.',
  }),
  'scheduling/set-appointment-status': defineChannel({
    input: z.object({ appointmentId: LocalId, status: z.enum(['CheckedIn', 'NoShow', 'Completed']) }).strict(),
    output: Appointment,
    access: 'appointments.write',
    doc: 'Check a patient in, mark a no-show, or mark the appointment completed.',
  }),
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
    input: z.object({ email: Email, displayName: z.string().trim().min(1, 'Enter a name').max(100), roles: z.array(RoleNameSchema).min(1, 'Choose at least one role').max(5) }).strict(),
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
    doc: "Name this workstation and say where it stands (ward, pharmacy, front desk, office).",
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
  'offline/list-attention-items': defineChannel({
    input: Empty,
    output: z.array(AttentionItem),
    access: 'appointments.read',
    doc: "This terminal's Needs-attention inbox: changes made offline that the server refused or that clashed.",
  }),
  'offline/resolve-attention-item': defineChannel({
    input: ResolveAttention,
    output: z.array(AttentionItem),
    access: 'appointments.write',
    doc: 'Fix one Needs-attention item (book a free slot, use the existing patient, register anyway, discard); returns the inbox.',
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
