import type { RoleName } from '../../../contract/permissions.js';

/** How each role is named on screen. */
export const ROLE_LABELS: Record<RoleName, string> = {
  admin: 'Administrator',
  doctor: 'Doctor',
  nurse: 'Nurse',
  pharmacist: 'Pharmacist',
  front_desk: 'Front desk',
  billing_clerk: 'Billing clerk',
  dispatcher: 'Dispatcher',
  housekeeping: 'Housekeeping',
};

/** A stored role name as shown; a role this version does not know is shown as stored. */
export const roleLabel = (role: string): string => ROLE_LABELS[role as RoleName] ?? role;
