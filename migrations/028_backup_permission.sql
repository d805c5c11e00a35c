-- Backups of the embedded database (issue #12): a permission for Admin → Backups — taking a backup,
-- restoring the database or one table, and reading the archiver's status. Administrators only.
INSERT INTO permissions (permission_name, description) VALUES ('backups.manage', 'Take, verify and restore backups; see WAL archiving');
INSERT INTO role_permissions (role_id, permission_id)
SELECT r.role_id, p.permission_id FROM roles r, permissions p
WHERE r.role_name = 'admin' AND p.permission_name = 'backups.manage';
