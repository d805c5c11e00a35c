-- 003 Default roles and permissions. Demo users are NOT created here: a hospital server must never
-- receive demo accounts from a migration. `npm run seed` (and the embedded first run) adds them.
-- The permission names are the ones the IPC contract (contract/permissions.ts) requires;
-- tests/integration/rbac-seed.test.ts keeps the two in step.

INSERT INTO roles (role_name, description) VALUES
    ('admin',      'Administers users, roles, terminals and reference data'),
    ('doctor',     'Examines patients, writes records and prescriptions'),
    ('nurse',      'Cares for ward patients: charts, beds, medication rounds'),
    ('pharmacist', 'Dispenses prescriptions and manages medicine stock'),
    ('front_desk', 'Registers patients, books appointments, takes payments');

INSERT INTO permissions (permission_name, description) VALUES
    ('patients.read',          'See patient demographics'),
    ('patients.write',         'Register and update patient demographics'),
    ('appointments.read',      'See the appointment book'),
    ('appointments.write',     'Book, reschedule, cancel and check in appointments'),
    ('medical_records.read',   'Read clinical records'),
    ('medical_records.write',  'Write clinical records'),
    ('prescriptions.read',     'See prescriptions'),
    ('prescriptions.write',    'Prescribe medicine'),
    ('pharmacy.dispense',      'Dispense medicine against prescriptions'),
    ('pharmacy.stock',         'Receive, adjust and dispose of medicine stock'),
    ('rooms.read',             'See rooms, beds and occupancy'),
    ('rooms.assign',           'Admit, move and discharge patients to beds'),
    ('billing.read',           'See bills'),
    ('billing.write',          'Create bills and take payments'),
    ('users.manage',           'Create and deactivate users, assign roles, issue reset tokens'),
    ('settings.manage',        'Change terminal and system settings'),
    ('audit.read',             'Read the audit log');

INSERT INTO role_permissions (role_id, permission_id)
SELECT r.role_id, p.permission_id
FROM (VALUES
    ('admin', 'patients.read'), ('admin', 'patients.write'), ('admin', 'appointments.read'),
    ('admin', 'appointments.write'), ('admin', 'medical_records.read'), ('admin', 'medical_records.write'),
    ('admin', 'prescriptions.read'), ('admin', 'prescriptions.write'), ('admin', 'pharmacy.dispense'),
    ('admin', 'pharmacy.stock'), ('admin', 'rooms.read'), ('admin', 'rooms.assign'),
    ('admin', 'billing.read'), ('admin', 'billing.write'), ('admin', 'users.manage'),
    ('admin', 'settings.manage'), ('admin', 'audit.read'),

    ('doctor', 'patients.read'), ('doctor', 'patients.write'), ('doctor', 'appointments.read'),
    ('doctor', 'medical_records.read'), ('doctor', 'medical_records.write'),
    ('doctor', 'prescriptions.read'), ('doctor', 'prescriptions.write'), ('doctor', 'rooms.read'),

    ('nurse', 'patients.read'), ('nurse', 'appointments.read'), ('nurse', 'medical_records.read'),
    ('nurse', 'medical_records.write'), ('nurse', 'prescriptions.read'), ('nurse', 'rooms.read'),
    ('nurse', 'rooms.assign'),

    ('pharmacist', 'patients.read'), ('pharmacist', 'prescriptions.read'),
    ('pharmacist', 'pharmacy.dispense'), ('pharmacist', 'pharmacy.stock'),

    ('front_desk', 'patients.read'), ('front_desk', 'patients.write'),
    ('front_desk', 'appointments.read'), ('front_desk', 'appointments.write'),
    ('front_desk', 'billing.read'), ('front_desk', 'billing.write'), ('front_desk', 'rooms.read')
) AS grant_list(role_name, permission_name)
JOIN roles r ON r.role_name = grant_list.role_name
JOIN permissions p ON p.permission_name = grant_list.permission_name;
