// Every permission a channel may require. The database's `permissions` rows (migration 003) hold
// the same names; a test keeps them in step.
export const PERMISSIONS = [
  'patients.read',
  'patients.write',
  'appointments.read',
  'appointments.write',
  'medical_records.read',
  'medical_records.write',
  'prescriptions.read',
  'prescriptions.write',
  'pharmacy.dispense',
  'pharmacy.stock',
  'rooms.read',
  'rooms.assign',
  'billing.read',
  'billing.write',
  'users.manage',
  'settings.manage',
  'audit.read',
  'allergies.write',
  'ambulance.read',
  'ambulance.dispatch',
  'cleaning.read',
  'cleaning.write',
  'backups.manage',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/**
 * What a channel requires: a permission, or one of three access levels that need none.
 * 'public': callable before sign-in (sign-in itself, the database status).
 * 'session': a session, even a locked one (unlock, sign-out, activity).
 * 'signed-in': an unlocked session of any user (change own password).
 */
export type Access = Permission | 'public' | 'session' | 'signed-in';

export const ROLE_NAMES = ['admin', 'doctor', 'nurse', 'pharmacist', 'front_desk', 'billing_clerk', 'dispatcher', 'housekeeping'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];
