-- 035 The helpers that read who the caller is (roles, permissions, departments, rooms, doctors) keep one
-- plan each for the session and read the caller's rows by key (speed of issues 10 and 11).
-- 1. One role runs them. Their queries read tables under forced row level security, and PostgreSQL keeps
--    such a plan for the role it was made for: a helper called by the app role in one statement and
--    inside an owner's trigger or function in the next (audit, chain, stock, witness) was parsed and
--    planned again at every switch, 0.15-0.2 ms a call (a fifth of the database's time in a scan; perf:
--    BuildCachedPlan under plpgsql). They are now SECURITY DEFINER functions of clinic_identity, a NOLOGIN
--    role that can read only the columns they read (the pattern of clinic_phi, clinic_auth,
--    clinic_monitor and clinic_admission), and executable only by the roles whose statements evaluate the
--    policies and functions that call them.
-- 2. The user id is read once per call, not once per row: "user_id = app_current_user_id()" parsed the
--    setting into a uuid for every row a scan passed (4 % of the database's time in a scan).
-- Same answers for every caller, user and role mix, an unset or unknown user included (empty sets,
-- false). A malformed user id raises 22P02 in every helper, as it did in all but app_has_permission,
-- which answered false for a permission no role holds.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'clinic_identity') THEN
        CREATE ROLE clinic_identity NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
    -- The owner maintains clinic_identity's functions (as 031 does for clinic_admission).
    IF NOT pg_catalog.pg_has_role(current_user, 'clinic_identity', 'USAGE') THEN
        IF pg_catalog.current_setting('server_version_num')::INTEGER >= 160000 THEN
            EXECUTE pg_catalog.format('GRANT clinic_identity TO %I WITH INHERIT TRUE, SET TRUE', current_user);
        ELSE
            EXECUTE pg_catalog.format('GRANT clinic_identity TO %I', current_user);
        END IF;
    END IF;
END;
$$;
GRANT USAGE ON SCHEMA public TO clinic_identity;
-- Exactly what the helpers read (each table's read policy is `true`).
GRANT SELECT (user_id, is_active) ON users TO clinic_identity;
GRANT SELECT (user_id, role_id) ON user_roles TO clinic_identity;
GRANT SELECT (role_id, role_name, is_active) ON roles TO clinic_identity;
GRANT SELECT (role_id, permission_id) ON role_permissions TO clinic_identity;
GRANT SELECT (permission_id, permission_name) ON permissions TO clinic_identity;
GRANT SELECT (user_id, department_id, is_active) ON staff TO clinic_identity;
GRANT SELECT (doctor_id, user_id, department_id, is_active) ON doctors TO clinic_identity;
GRANT SELECT (room_id, department_id) ON rooms TO clinic_identity;
GRANT EXECUTE ON FUNCTION app_current_user_id() TO clinic_identity;

CREATE OR REPLACE FUNCTION app_roles() RETURNS TEXT[]
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    me pg_catalog.uuid := public.app_current_user_id();
    roles pg_catalog.text[];
BEGIN
    SELECT COALESCE(pg_catalog.array_agg(r.role_name::pg_catalog.text), '{}') INTO roles
    FROM public.users u
    JOIN public.user_roles ur ON ur.user_id = u.user_id
    JOIN public.roles r ON r.role_id = ur.role_id
    WHERE u.user_id = me AND u.is_active AND r.is_active;
    RETURN roles;
END;
$$;

CREATE OR REPLACE FUNCTION app_has_permission(p_permission TEXT) RETURNS BOOLEAN
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    me pg_catalog.uuid := public.app_current_user_id();
BEGIN
    RETURN EXISTS (
        SELECT 1
        FROM public.users u
        JOIN public.user_roles ur ON ur.user_id = u.user_id
        JOIN public.roles r ON r.role_id = ur.role_id
        JOIN public.role_permissions rp ON rp.role_id = r.role_id
        JOIN public.permissions p ON p.permission_id = rp.permission_id
        WHERE u.user_id = me AND u.is_active AND r.is_active AND p.permission_name = p_permission);
END;
$$;

CREATE OR REPLACE FUNCTION app_my_department_ids() RETURNS INTEGER[]
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    me pg_catalog.uuid := public.app_current_user_id();
    ids pg_catalog.int4[];
BEGIN
    SELECT COALESCE(pg_catalog.array_agg(DISTINCT department_id), '{}') INTO ids FROM (
        SELECT s.department_id FROM public.staff s WHERE s.user_id = me AND s.is_active
        UNION ALL
        SELECT d.department_id FROM public.doctors d WHERE d.user_id = me AND d.is_active
    ) mine WHERE department_id IS NOT NULL;
    RETURN ids;
END;
$$;

CREATE OR REPLACE FUNCTION app_my_doctor_ids() RETURNS INTEGER[]
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    me pg_catalog.uuid := public.app_current_user_id();
    ids pg_catalog.int4[];
BEGIN
    SELECT COALESCE(pg_catalog.array_agg(d.doctor_id), '{}') INTO ids FROM public.doctors d WHERE d.user_id = me;
    RETURN ids;
END;
$$;

CREATE OR REPLACE FUNCTION app_colleague_doctor_ids() RETURNS INTEGER[]
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    me pg_catalog.uuid := public.app_current_user_id();
    mine pg_catalog.int4[] := public.app_my_department_ids();
    ids pg_catalog.int4[];
BEGIN
    SELECT COALESCE(pg_catalog.array_agg(d.doctor_id), '{}') INTO ids FROM public.doctors d
    WHERE d.user_id = me OR d.department_id = ANY (mine);
    RETURN ids;
END;
$$;

-- Its body reads no user id; only its rights change.
ALTER FUNCTION app_my_room_ids() SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp;

-- Who may call which (with the owner, which owns the migrations): the app for all; clinic_admission's
-- search and clinic_phi's history evaluate patients' and prescriptions' policies; clinic_monitor checks
-- a permission; clinic_identity's own helpers call app_my_department_ids.
DO $$
DECLARE
    helper TEXT;
BEGIN
    FOREACH helper IN ARRAY ARRAY['app_roles()', 'app_has_permission(text)', 'app_my_department_ids()', 'app_my_room_ids()',
                                  'app_my_doctor_ids()', 'app_colleague_doctor_ids()'] LOOP
        EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, clinic_phi, clinic_admission, clinic_monitor, clinic_auth', helper);
        EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO clinic_app', helper);
    END LOOP;
END;
$$;
GRANT EXECUTE ON FUNCTION app_roles(), app_has_permission(TEXT), app_my_department_ids(), app_my_room_ids(), app_colleague_doctor_ids()
    TO clinic_admission;
GRANT EXECUTE ON FUNCTION app_roles(), app_my_department_ids(), app_my_room_ids(), app_colleague_doctor_ids() TO clinic_phi;
GRANT EXECUTE ON FUNCTION app_has_permission(TEXT) TO clinic_monitor;
GRANT EXECUTE ON FUNCTION app_my_department_ids() TO clinic_identity;

-- Handed to clinic_identity in one statement, so the brief CREATE on public never outlives it.
DO $$
BEGIN
    GRANT CREATE ON SCHEMA public TO clinic_identity;
    ALTER FUNCTION app_roles() OWNER TO clinic_identity;
    ALTER FUNCTION app_has_permission(TEXT) OWNER TO clinic_identity;
    ALTER FUNCTION app_my_department_ids() OWNER TO clinic_identity;
    ALTER FUNCTION app_my_room_ids() OWNER TO clinic_identity;
    ALTER FUNCTION app_my_doctor_ids() OWNER TO clinic_identity;
    ALTER FUNCTION app_colleague_doctor_ids() OWNER TO clinic_identity;
    REVOKE CREATE ON SCHEMA public FROM clinic_identity;
END;
$$;
