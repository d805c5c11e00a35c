// RBAC data in the database matches the contract, and each demo role holds exactly its permissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../contract/permissions.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('clinic_demo');
});
afterAll(() => database.drop());

// The intended grants, written out so a change to migration 003 has to be made here on purpose.
const EXPECTED: Record<string, string[]> = {
  admin: [...PERMISSIONS],
  doctor: [
    'allergies.write',
    'appointments.read',
    'medical_records.read',
    'medical_records.write',
    'patients.read',
    'patients.write',
    'prescriptions.read',
    'prescriptions.write',
    'rooms.read',
  ],
  nurse: [
    'allergies.write',
    'appointments.read',
    'medical_records.read',
    'medical_records.write',
    'patients.read',
    'prescriptions.read',
    'rooms.assign',
    'rooms.read',
  ],
  pharmacist: ['allergies.write', 'patients.read', 'pharmacy.dispense', 'pharmacy.stock', 'prescriptions.read'],
  front_desk: ['appointments.read', 'appointments.write', 'billing.read', 'billing.write', 'patients.read', 'patients.write', 'rooms.read'],
  // Operations (migration 027): each works one service, and sees patients only where the work names one.
  billing_clerk: ['billing.read', 'billing.write', 'patients.read'],
  dispatcher: ['ambulance.dispatch', 'ambulance.read', 'patients.read'],
  housekeeping: ['cleaning.read', 'cleaning.write'],
};

describe('RBAC seed data', () => {
  it('has exactly the permissions the contract names', async () => {
    const { rows } = await database.ownerPool.query<{ permission_name: string }>('SELECT permission_name FROM permissions');
    expect(rows.map((r) => r.permission_name).sort()).toEqual([...PERMISSIONS].sort());
  });

  it('grants each role exactly its permissions', async () => {
    const { rows } = await database.ownerPool.query<{ role_name: string; permissions: string[] }>(`
      SELECT r.role_name, array_agg(p.permission_name ORDER BY p.permission_name) AS permissions
      FROM roles r JOIN role_permissions rp USING (role_id) JOIN permissions p USING (permission_id) GROUP BY r.role_name`);
    expect(Object.fromEntries(rows.map((r) => [r.role_name, r.permissions]))).toEqual(
      Object.fromEntries(Object.entries(EXPECTED).map(([role, perms]) => [role, [...perms].sort()])),
    );
  });

  it('has one active demo user per role, with an argon2id hash', async () => {
    const { rows } = await database.ownerPool.query<{ role_name: string; email: string; password_hash: string }>(`
      SELECT r.role_name, u.email, u.password_hash FROM users u JOIN user_roles USING (user_id) JOIN roles r USING (role_id)
      WHERE u.email LIKE '%@demo.clinic' AND u.is_active ORDER BY r.role_name`);
    expect(rows.map((r) => r.role_name)).toEqual([
      'admin',
      'billing_clerk',
      'dispatcher',
      'doctor',
      'front_desk',
      'housekeeping',
      'nurse',
      'pharmacist',
    ]);
    for (const row of rows) expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});
