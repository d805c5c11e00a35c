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
  'ward/set-administration-window',
  'monitoring/get-health',
  'monitoring/get-alerts',
  'monitoring/signal-backend',
  'monitoring/save-settings',
  'monitoring/run-maintenance',
  'audit/list-entries',
  'audit/export-csv',
  'audit/verify-chain',
  'backups/get-overview',
  'backups/get-archiver-status',
  'backups/start-backup',
  'backups/verify-backup',
  'backups/save-schedule',
  'backups/request-restore',
  'backups/compare-table',
  'backups/restore-table',
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
const PRESCRIBE: ChannelKey[] = [
  'pharmacy/check-order',
  'pharmacy/prescribe-medicine',
  'pharmacy/list-queried-orders',
  'pharmacy/list-open-orders',
  'pharmacy/cancel-order',
];
const PHARMACIST_WORK: ChannelKey[] = [
  'pharmacy/get-verification-queue',
  'pharmacy/verify-order',
  'pharmacy/query-order',
  'pharmacy/dispense-order',
  'pharmacy/receive-delivery',
  'pharmacy/list-returnable',
  'pharmacy/return-from-ward',
  'pharmacy/adjust-stock',
  'pharmacy/dispose-stock',
  'pharmacy/list-lots',
  'pharmacy/report-low-stock',
  'pharmacy/report-expiring',
  'pharmacy/report-stock-on-hand',
  'pharmacy/list-ledger',
  'pharmacy/list-ledger-users',
  'pharmacy/get-controlled-register',
  'pharmacy/record-controlled-count',
];
// Controlled-drug count discrepancies go to the administrator (audit.read); weights are charted (medical_records.write).
const COUNT_DISCREPANCIES: ChannelKey[] = ['pharmacy/list-count-discrepancies', 'pharmacy/resolve-count-discrepancy'];
const RECORD_WEIGHT: ChannelKey[] = ['pharmacy/record-weight'];

// Ward (issue 11): the board and census (rooms.read), placing patients (rooms.assign), vitals, the SpO2 scale.
const BED_BOARD: ChannelKey[] = ['ward/get-bed-board', 'ward/get-census'];
const PLACE_PATIENTS: ChannelKey[] = [
  'ward/admit-patient',
  'ward/find-patients-to-admit',
  'ward/transfer-patient',
  'ward/discharge-patient',
  'ward/complete-cleaning',
  'ward/request-cleaning',
];
const VITALS: ChannelKey[] = ['ward/record-observation', 'ward/get-observations', 'ward/get-saturation-scale'];
// Ward MAR, notes and handover: read with medical_records.read, record with medical_records.write.
const WARD_CHARTS: ChannelKey[] = [
  'ward/get-mar',
  'ward/get-due-medicines',
  'ward/list-notes',
  'ward/get-handover',
  'ward/check-administration',
  'ward/administer-dose',
  'ward/record-dose-outcome',
  'ward/mark-administration-in-error',
  'ward/add-note',
  // The ward terminal's downtime copy (W2): null where none is kept, but it names patients.
  'ward/get-last-known-copy',
];

// Operations (migration 027): billing, housekeeping, ambulance, reference data.
const BILLING_READ: ChannelKey[] = ['billing/list-balances', 'billing/get-account'];
const BILLING_WRITE: ChannelKey[] = [
  'billing/list-unbilled',
  'billing/bill-appointment',
  'billing/bill-stay',
  'billing/add-charge',
  'billing/take-payment',
  'billing/void-bill',
];
const CLEANING: ChannelKey[] = [
  'housekeeping/get-queue',
  'housekeeping/list-rooms',
  'housekeeping/plan-routine',
  'housekeeping/request-cleaning',
  'housekeeping/start-task',
  'housekeeping/complete-task',
  'housekeeping/skip-task',
];
const AMBULANCE: ChannelKey[] = [
  'ambulance/get-fleet',
  'ambulance/list-runs',
  'ambulance/get-response-times',
  'ambulance/dispatch-vehicle',
  'ambulance/update-run',
  'ambulance/set-vehicle-status',
];
const REFERENCE_DATA: ChannelKey[] = [
  'reference/list-places',
  'reference/save-department',
  'reference/save-room-type',
  'reference/save-room',
  'reference/list-people',
  'reference/save-staff',
  'reference/save-doctor',
  'reference/set-doctor-hours',
];
const DEMO_EMAIL: Record<string, string> = { front_desk: 'frontdesk', billing_clerk: 'billing', dispatcher: 'dispatch' };

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
    ...COUNT_DISCREPANCIES,
    ...RECORD_WEIGHT,
    ...BED_BOARD,
    ...PLACE_PATIENTS,
    ...VITALS,
    ...WARD_CHARTS,
    'ward/set-saturation-scale',
    ...BILLING_READ,
    ...BILLING_WRITE,
    ...CLEANING,
    ...AMBULANCE,
    ...REFERENCE_DATA,
  ],
  doctor: [
    ...EVERYONE,
    ...READ_PATIENTS,
    'patients/register-patient',
    ...CHART,
    ...READ_BOOK,
    ...READ_ORDERS,
    ...PRESCRIBE,
    ...RECORD_WEIGHT,
    ...BED_BOARD,
    ...VITALS,
    ...WARD_CHARTS,
    'ward/set-saturation-scale',
  ],
  nurse: [
    ...EVERYONE,
    ...READ_PATIENTS,
    ...CHART,
    ...READ_BOOK,
    ...READ_ORDERS,
    ...BED_BOARD,
    ...PLACE_PATIENTS,
    ...VITALS,
    ...WARD_CHARTS,
    ...RECORD_WEIGHT,
  ],
  pharmacist: [...EVERYONE, ...READ_PATIENTS, ...READ_ORDERS, ...PHARMACIST_WORK],
  front_desk: [
    ...EVERYONE,
    ...READ_PATIENTS,
    'patients/register-patient',
    ...READ_BOOK,
    ...WRITE_BOOK,
    ...BED_BOARD,
    ...BILLING_READ,
    ...BILLING_WRITE,
  ],
  billing_clerk: [...EVERYONE, ...READ_PATIENTS, ...BILLING_READ, ...BILLING_WRITE],
  dispatcher: [...EVERYONE, ...READ_PATIENTS, ...AMBULANCE],
  housekeeping: [...EVERYONE, ...CLEANING],
};

describe('RBAC over the whole contract', () => {
  it('every channel names its access: a permission, or public/session/signed-in', () => {
    for (const name of CHANNEL_NAMES) expect(channels[name].access, name).toBeTruthy();
  });

  for (const [role, reach] of Object.entries(REACH)) {
    it(`${role} reaches exactly ${reach.length} of ${CHANNEL_NAMES.length} channels`, async () => {
      const harness = createCoreHarness(database);
      await harness.signIn(`rbac-${role}`, `${DEMO_EMAIL[role] ?? role}@demo.clinic`);
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
