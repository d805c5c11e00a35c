import { z } from 'zod';
import { PERMISSIONS, ROLE_NAMES } from './permissions.js';

// Shared value shapes. Bounds are deliberate: every string and number has a ceiling so a hostile
// or buggy renderer cannot push megabytes or non-finite numbers towards SQL.
export const Email = z.string().trim().toLowerCase().max(255).email('Enter a valid email address');
export const Password = z.string().min(1, 'Enter your password').max(1024);
export const PatientId = z.number().int().positive().max(2_147_483_647);
/**
 * A patient or appointment as this terminal knows it: positive ids are the server's; negative ids
 * are provisional, given to a walk-in or booking saved on this terminal while offline.
 */
export const LocalId = z.number().int().min(-2_147_483_648).max(2_147_483_647).refine((n) => n !== 0, 'Not a valid id');
/** Present (true) on what is saved on this terminal and not yet on the server. */
export const Queued = z.literal(true).optional();
export const Uuid = z.string().uuid();
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-01-31');
export const IsoDateTime = z.string().datetime({ offset: true });

export const PermissionSchema = z.enum(PERMISSIONS);
export const RoleNameSchema = z.enum(ROLE_NAMES);

export const SessionUser = z.object({
  userId: Uuid,
  email: z.string(),
  displayName: z.string(),
  roles: z.array(RoleNameSchema),
  permissions: z.array(PermissionSchema),
  signedInAt: IsoDateTime,
  /** Signed in with the password kept on this terminal while the database was down (front desk only). */
  offline: z.literal(true).optional(),
});
export type SessionUser = z.infer<typeof SessionUser>;

export const TerminalRole = z.enum(['ward', 'pharmacy', 'front_desk', 'office']);
export type TerminalRole = z.infer<typeof TerminalRole>;

/** The session main holds for this window, as the renderer may know it. */
export const SessionState = z.object({
  user: SessionUser,
  locked: z.boolean(),
  lockAfterMinutes: z.number().int().positive(),
  expiresAt: IsoDateTime,
});
export type SessionState = z.infer<typeof SessionState>;

/** New passwords: long enough to resist guessing, bounded so hashing stays cheap to refuse. */
export const NewPassword = z.string().min(12, 'Use at least 12 characters').max(256, 'Use at most 256 characters');

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

export const PatientSummary = z.object({
  patientId: LocalId,
  firstName: z.string(),
  lastName: z.string(),
  dateOfBirth: IsoDate,
  gender: z.string().nullable(),
  contactNumber: z.string().nullable(),
  email: z.string().nullable(),
  departmentId: z.number().int().nullable(),
  queued: Queued,
});
export type PatientSummary = z.infer<typeof PatientSummary>;

export const Empty = z.object({}).strict();

export const HospitalServer = z.object({
  host: z.string().trim().min(1, 'Enter the server name').max(255).regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/, 'Use a host name or IP address'),
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

/** A patient's chart as a clinician opens it: demographics plus the (decrypted) medical history. */
export const PatientChart = z.object({
  patient: PatientSummary,
  medicalHistory: z.string().nullable(),
});
export type PatientChart = z.infer<typeof PatientChart>;

/** This workstation's identity, set by an administrator: its name in the audit trail, its idle-lock class. */
export const TerminalIdentity = z.object({
  name: z.string().trim().min(1, 'Enter a name for this workstation').max(100),
  role: TerminalRole,
  /** A front desk's department: the doctors whose book it keeps for offline work (all when unset). */
  departmentId: z.number().int().positive().nullable().default(null),
});
export type TerminalIdentity = z.infer<typeof TerminalIdentity>;

// Front desk: patient search, registration and the appointment book ---------------------------------

export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a time like 09:30');

export const PatientSearchResult = PatientSummary.extend({
  address: z.string().nullable(),
  /** 'exact': names start so; 'partial': the text is inside a name; 'similar': one typo away. */
  match: z.enum(['exact', 'partial', 'similar']),
});
export type PatientSearchResult = z.infer<typeof PatientSearchResult>;

export const NewPatient = z
  .object({
    firstName: z.string().trim().min(1, 'Enter the first name').max(50),
    lastName: z.string().trim().min(1, 'Enter the last name').max(50),
    dateOfBirth: IsoDate,
    gender: z.enum(['M', 'F', 'X', 'U']).nullable().default(null),
    contactNumber: z.string().trim().regex(/^[0-9 +()-]{6,15}$/, 'Use digits, spaces, + ( ) -').nullable().default(null),
    address: z.string().trim().max(255).nullable().default(null),
    email: z.string().trim().toLowerCase().email('Enter a valid email address').max(100).nullable().default(null),
    /** Set after the clerk has seen the possible duplicates and chosen to register anyway. */
    confirmNotDuplicate: z.boolean().default(false),
  })
  .strict();

export const Slot = z.object({ date: IsoDate, time: ClockTime });
export type Slot = z.infer<typeof Slot>;

export const AppointmentStatus = z.enum(['Scheduled', 'CheckedIn', 'Completed', 'Cancelled', 'NoShow']);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;

export const Appointment = z.object({
  appointmentId: LocalId,
  patientId: LocalId,
  patientName: z.string(),
  patientDateOfBirth: IsoDate,
  doctorId: z.number().int(),
  doctorName: z.string(),
  date: IsoDate,
  time: ClockTime,
  durationMinutes: z.number().int(),
  purpose: z.string().nullable(),
  status: AppointmentStatus,
  cancelReason: z.string().nullable(),
  queued: Queued,
});
export type Appointment = z.infer<typeof Appointment>;

export const Doctor = z.object({
  doctorId: z.number().int(),
  name: z.string(),
  specialization: z.string().nullable(),
  departmentId: z.number().int().nullable(),
  departmentName: z.string().nullable(),
  slotMinutes: z.number().int(),
});
export type Doctor = z.infer<typeof Doctor>;

export const BookDay = z.object({
  doctorId: z.number().int(),
  date: IsoDate,
  /** Every slot of the doctor's working hours that day; `appointmentId` set where it is taken. */
  slots: z.array(z.object({ time: ClockTime, appointmentId: z.number().int().nullable() })),
  appointments: z.array(Appointment),
});
export type BookDay = z.infer<typeof BookDay>;

// Offline continuity: what replay could not apply, for a person to decide -----------------------------

export const AttentionFix = z.enum(['book-slot', 'use-patient', 'register-anyway', 'discard']);
export type AttentionFix = z.infer<typeof AttentionFix>;

export const AttentionItem = z.object({
  /** The change's idempotency key. */
  key: z.string(),
  channel: z.string(),
  /** What the clerk asked for, in words ("Book Dr Adams, 2026-11-27 10:00, for Ana Diaz"). */
  summary: z.string(),
  madeBy: z.string(),
  madeAt: IsoDateTime,
  code: z.string(),
  reason: z.string(),
  nextFreeSlots: z.array(Slot),
  possibleDuplicates: z.array(PatientSearchResult),
  /** Set when this change waits on another item (a booking for a walk-in whose registration is in question). */
  blockedBy: z.string().nullable(),
  fixes: z.array(AttentionFix),
});
export type AttentionItem = z.infer<typeof AttentionItem>;

export const ResolveAttention = z.discriminatedUnion('fix', [
  z.object({ key: z.string().min(1).max(100), fix: z.literal('book-slot'), slot: Slot }).strict(),
  z.object({ key: z.string().min(1).max(100), fix: z.literal('use-patient'), patientId: PatientId }).strict(),
  z.object({ key: z.string().min(1).max(100), fix: z.literal('register-anyway') }).strict(),
  z.object({ key: z.string().min(1).max(100), fix: z.literal('discard') }).strict(),
]);
export type ParsedResolveAttention = z.output<typeof ResolveAttention>;
