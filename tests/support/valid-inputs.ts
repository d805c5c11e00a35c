import type { ChannelInput, ChannelKey } from '../../contract/index.js';

const SOME_UUID = '00000000-0000-4000-8000-000000000000';

/**
 * One well-formed input per channel (typed: a new channel without a sample fails typecheck), so a
 * test can tell "refused by the session or permission" apart from "refused as invalid".
 */
export const VALID_INPUTS: { [C in ChannelKey]: ChannelInput<C> } = {
  'session/sign-in': { email: 'nobody@demo.clinic', password: 'x' },
  'session/sign-out': {},
  'session/get-current': {},
  'session/unlock-screen': { password: 'x' },
  'session/report-activity': {},
  'session/change-password': { currentPassword: 'x', newPassword: 'a long new password' },
  'session/redeem-reset-token': { email: 'nobody@demo.clinic', token: 'x'.repeat(43), newPassword: 'a long new password' },
  'system/get-status': {},
  'system/get-demo-accounts': {},
  'patients/get-patient': { patientId: 1 },
  'patients/open-chart': { patientId: 1 },
  'patients/save-medical-history': { patientId: 1, medicalHistory: 'Penicillin allergy.' },
  'patients/search-patients': { query: 'garcia' },
  'patients/register-patient': { firstName: 'Walk', lastName: 'In', dateOfBirth: '1990-01-01' },
  'scheduling/list-doctors': {},
  'scheduling/get-book': { doctorIds: [1], from: '2030-01-07', days: 1 },
  'scheduling/list-patient-appointments': { patientId: 1 },
  'scheduling/book-appointment': { patientId: 1, doctorId: 1, slot: { date: '2030-01-07', time: '09:00' } },
  'scheduling/reschedule-appointment': { appointmentId: 1, slot: { date: '2030-01-07', time: '09:15' } },
  'scheduling/cancel-appointment': { appointmentId: 1, reason: 'Patient called' },
  'scheduling/set-appointment-status': { appointmentId: 1, status: 'CheckedIn' },
  'settings/get-database': {},
  'settings/save-database': { target: 'embedded' },
  'users/list-users': {},
  'users/create-user': { email: 'new.user@demo.clinic', displayName: 'New User', roles: ['nurse'] },
  'users/set-user-active': { userId: SOME_UUID, active: true },
  'users/set-user-roles': { userId: SOME_UUID, roles: ['nurse'] },
  'users/issue-reset-code': { userId: SOME_UUID },
  'users/unlock-user': { userId: SOME_UUID },
  'roles/list-roles': {},
  'settings/save-terminal': { name: 'Ward A terminal 2', role: 'ward' },
  'settings/get-security': {},
  'offline/list-attention-items': {},
  'offline/resolve-attention-item': { key: SOME_UUID, fix: 'discard' },
  'settings/save-security': {
    lockoutThreshold: 5,
    lockoutMinutes: 15,
    sessionMaxHours: 12,
    idleMinutes: { ward: 5, pharmacy: 15, front_desk: 15, office: 15 },
  },
};
