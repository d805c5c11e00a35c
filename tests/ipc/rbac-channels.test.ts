// RBAC in main, walked over the whole contract: for each demo role, exactly these channels get past
// the permission check (everything else is Forbidden before any SQL). Written out as a table so a
// change to a role's reach has to be made here on purpose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, CHANNEL_NAMES, type ChannelKey } from '../../contract/index.js';
import { createCoreHarness } from '../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { VALID_INPUTS } from '../support/valid-inputs.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 2);
});
afterAll(() => database.drop());

const EVERYONE: ChannelKey[] = [
  'session/sign-in',
  'session/sign-out',
  'session/get-current',
  'session/unlock-screen',
  'session/report-activity',
  'session/change-password',
  'session/redeem-reset-token',
  'system/get-status',
  'system/get-demo-accounts',
];
const ADMIN_ONLY: ChannelKey[] = [
  'settings/get-database',
  'settings/save-database',
  'users/list-users',
  'users/create-user',
  'users/set-user-active',
  'users/set-user-roles',
  'users/issue-reset-code',
  'users/unlock-user',
  'roles/list-roles',
  'settings/save-terminal',
  'settings/get-security',
  'settings/save-security',
];

const READ_PATIENTS: ChannelKey[] = ['patients/get-patient', 'patients/search-patients'];
const CHART: ChannelKey[] = ['patients/open-chart', 'patients/save-medical-history'];
const READ_BOOK: ChannelKey[] = [
  'scheduling/list-doctors',
  'scheduling/get-book',
  'scheduling/list-patient-appointments',
  'offline/list-attention-items',
];
const WRITE_BOOK: ChannelKey[] = [
  'scheduling/book-appointment',
  'scheduling/reschedule-appointment',
  'scheduling/cancel-appointment',
  'scheduling/set-appointment-status',
  'offline/resolve-attention-item',
];

// Pharmacy (issue 10): reading orders and the formulary, prescribing, the pharmacist's work, stock, allergies.
const READ_ORDERS: ChannelKey[] = [
  'pharmacy/search-medicines',
  'pharmacy/get-order',
  'pharmacy/record-allergy',
  'pharmacy/list-allergies',
  'pharmacy/mark-allergy-in-error',
];
const PRESCRIBE: ChannelKey[] = ['pharmacy/check-order', 'pharmacy/prescribe-medicine'];
const PHARMACIST_WORK: ChannelKey[] = [
  'pharmacy/get-verification-queue',
  'pharmacy/verify-order',
  'pharmacy/query-order',
  'pharmacy/dispense-order',
  'pharmacy/receive-delivery',
];

// Ward (issue 11): the board and census (rooms.read), placing patients (rooms.assign), vitals, the SpO2 scale.
const BED_BOARD: ChannelKey[] = ['ward/get-bed-board', 'ward/get-census'];
const PLACE_PATIENTS: ChannelKey[] = ['ward/admit-patient', 'ward/transfer-patient', 'ward/discharge-patient', 'ward/complete-cleaning'];
const VITALS: ChannelKey[] = ['ward/record-observation', 'ward/get-observations'];

const REACH: Record<string, ChannelKey[]> = {
  admin: [
    ...EVERYONE,
    ...READ_PATIENTS,
    'patients/register-patient',
    ...CHART,
    ...READ_BOOK,
    ...WRITE_BOOK,
    ...ADMIN_ONLY,
    ...READ_ORDERS,
    ...PRESCRIBE,
    ...PHARMACIST_WORK,
    ...BED_BOARD,
    ...PLACE_PATIENTS,
    ...VITALS,
    'ward/set-saturation-scale',
  ],
  doctor: [
    ...EVERYONE,
    ...READ_PATIENTS,
    'patients/register-patient',
    ...CHART,
    ...READ_BOOK,
    ...READ_ORDERS,
    ...PRESCRIBE,
    ...BED_BOARD,
    ...VITALS,
    'ward/set-saturation-scale',
  ],
  nurse: [...EVERYONE, ...READ_PATIENTS, ...CHART, ...READ_BOOK, ...READ_ORDERS, ...BED_BOARD, ...PLACE_PATIENTS, ...VITALS],
  pharmacist: [...EVERYONE, ...READ_PATIENTS, ...READ_ORDERS, ...PHARMACIST_WORK],
  front_desk: [...EVERYONE, ...READ_PATIENTS, 'patients/register-patient', ...READ_BOOK, ...WRITE_BOOK, ...BED_BOARD],
};

describe('RBAC over the whole contract', () => {
  it('every channel names its access: a permission, or public/session/signed-in', () => {
    for (const name of CHANNEL_NAMES) expect(channels[name].access, name).toBeTruthy();
  });

  for (const [role, reach] of Object.entries(REACH)) {
    it(`${role} reaches exactly ${reach.length} of ${CHANNEL_NAMES.length} channels`, async () => {
      const harness = createCoreHarness(database);
      await harness.signIn(`rbac-${role}`, `${role === 'front_desk' ? 'frontdesk' : role}@demo.clinic`);
      const reached: ChannelKey[] = [];
      // Signing out or in again would end the session under test: those two are judged by their access rule.
      const callable: ChannelKey[] = CHANNEL_NAMES.filter((c) => c !== 'session/sign-out' && c !== 'session/sign-in');
      for (const channel of CHANNEL_NAMES) {
        if (!callable.includes(channel)) {
          const access = channels[channel].access;
          const session = harness.core.sessions.get(`rbac-${role}`)!;
          if (['public', 'session', 'signed-in'].includes(access) || session.user.permissions.includes(access as never))
            reached.push(channel);
          continue;
        }
        harness.resetSqlCalls();
        const result = await harness.core.dispatch(`rbac-${role}`, channel, VALID_INPUTS[channel]);
        if (!result.ok && result.error.code === 'Forbidden' && result.error.message === 'Your role does not allow this action.') {
          expect(harness.sqlCalls(), `${channel} ran SQL before refusing`).toBe(0);
        } else reached.push(channel);
      }
      expect(reached.sort()).toEqual([...reach].sort());
    });
  }
});
