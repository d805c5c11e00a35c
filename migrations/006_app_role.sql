-- 006 The application's database role. The app never connects as the table owner:
-- its login role is a member of clinic_app, which is not superuser, owns nothing and has no
-- BYPASSRLS, so row level security and the audit trigger hold even if app code is wrong.
-- Login roles (with passwords) are made per installation, not here: see README "Database roles".

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_app') THEN
        CREATE ROLE clinic_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
END;
$$;

GRANT USAGE ON SCHEMA public TO clinic_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON
    users, roles, permissions, user_roles, role_permissions, password_reset_tokens,
    departments, doctors, doctor_working_hours, staff, patients, appointments, medical_records,
    medicine, medicine_lots, prescriptions, pharmacy, billing,
    room_types, rooms, room_assignments, ambulance, ambulance_log, cleaning_service
TO clinic_app;
-- The audit trail is append-only for the app, and only through the trigger.
GRANT SELECT ON audit_log TO clinic_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO clinic_app;

-- The app only reads migration state, to refuse to run against a database that is behind.
DO $$
BEGIN
    IF to_regclass('public.kysely_migration') IS NOT NULL THEN
        REVOKE ALL ON kysely_migration, kysely_migration_lock FROM clinic_app;
        GRANT SELECT ON kysely_migration TO clinic_app;
    END IF;
END;
$$;
