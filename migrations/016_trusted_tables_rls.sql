-- 016 The tables row level security itself trusts are no longer the app's to change, and every policy's
-- WITH CHECK asks for the same visibility as its USING.
--
-- Before this, 006/007 let the app role write users, user_roles, role_permissions, staff, doctors,
-- password_reset_tokens and the settings tables, none of them under RLS: with no user context one
-- INSERT INTO user_roles made the nurse an administrator; in a nurse's context rows added to doctors
-- and staff widened the patients she could see. Now (tests/integration/trusted-tables-attack.test.ts
-- performs each attack, tests/integration/rls-matrix.test.ts states every role × table × operation):
--   * every table the app may write has ENABLEd and FORCEd RLS; with no user context nothing is
--     writable anywhere;
--   * reads the app needs stay open (sign-in finds a user by email before anyone is signed in, and the
--     RLS helpers read users/user_roles/roles/staff/doctors/rooms): their SELECT policy is "true", so it
--     cannot recurse and costs nothing. password_reset_tokens is read only by user administrators;
--   * the app's writes (policies TO clinic_app) need a user context holding the permission the IPC
--     contract names for that screen:
--       users.manage    users, user_roles, staff, doctors, doctor_working_hours, password_reset_tokens
--       settings.manage security_settings, terminal_idle_settings, departments, rooms, room_types, ambulance
--       pharmacy.stock  medicine, medicine_lots (pharmacy.dispense may also update a lot's stock)
--       rooms.assign    cleaning_service in the user's own rooms (settings.manage: any room)
--     roles, permissions and role_permissions have no writer in the app: no grant, no policy;
--   * the schema owner (migrations, the demo seed, a DBA's maintenance) may write these tables: it
--     could switch RLS off anyway, and the first administrator has to come from somewhere;
--   * sign-in's own writes, made before anyone is signed in (failure count and lockout, last sign-in,
--     redeeming a reset code, setting one's own password), go through the auth_* functions below:
--     SECURITY DEFINER, owned by clinic_auth — a role that can change only those columns — each doing
--     one thing with checked arguments, executable by clinic_app only.
-- Also here:
--   * the RLS helpers of 008 name their tables with the schema, so a caller's temporary table can no
--     longer stand in for user_roles and make a session an administrator no one is;
--   * each policy's WITH CHECK asks at least what its USING does: a doctor prescribes, a nurse gives a
--     bed, an author amends a record only for a patient they can already see; the front desk neither
--     sets nor moves a patient's caring department, nor books for a department that is not the
--     doctor's (each would put a patient in a ward's scope); a pharmacist changes only the
--     dispensing state of a prescription (what a policy cannot see — the old row — is a trigger);
--   * failed sign-ins for an email with no account are counted like an account's, so after five
--     the answer is the same "locked" message and the answers do not tell which accounts exist.

-- RLS helpers, schema-qualified ------------------------------------------------------------------
-- Same meaning as in 008. A relation or type name without a schema is looked up in the session's
-- pg_temp first, so CREATE TEMP TABLE user_roles (…) used to be read by app_roles().

CREATE OR REPLACE FUNCTION app_current_user_id() RETURNS UUID
LANGUAGE sql STABLE AS
$$ SELECT NULLIF(pg_catalog.current_setting('app.current_user_id', true), '')::pg_catalog.uuid $$;

CREATE OR REPLACE FUNCTION app_roles() RETURNS TEXT[]
LANGUAGE plpgsql STABLE AS
$$
DECLARE
    roles pg_catalog.text[];
BEGIN
    SELECT COALESCE(pg_catalog.array_agg(r.role_name::pg_catalog.text), '{}') INTO roles
    FROM public.user_roles ur
    JOIN public.roles r ON r.role_id = ur.role_id
    JOIN public.users u ON u.user_id = ur.user_id
    WHERE ur.user_id = public.app_current_user_id() AND r.is_active AND u.is_active;
    RETURN roles;
END;
$$;

CREATE OR REPLACE FUNCTION app_has_role(p_role TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS
$$ SELECT p_role = ANY (public.app_roles()) $$;

CREATE OR REPLACE FUNCTION app_my_department_ids() RETURNS INTEGER[]
LANGUAGE plpgsql STABLE AS
$$
DECLARE
    ids pg_catalog.int4[];
BEGIN
    SELECT COALESCE(pg_catalog.array_agg(DISTINCT department_id), '{}') INTO ids FROM (
        SELECT s.department_id FROM public.staff s WHERE s.user_id = public.app_current_user_id() AND s.is_active
        UNION
        SELECT d.department_id FROM public.doctors d WHERE d.user_id = public.app_current_user_id() AND d.is_active
    ) mine WHERE department_id IS NOT NULL;
    RETURN ids;
END;
$$;

CREATE OR REPLACE FUNCTION app_my_doctor_ids() RETURNS INTEGER[]
LANGUAGE plpgsql STABLE AS
$$
DECLARE
    ids pg_catalog.int4[];
BEGIN
    SELECT COALESCE(pg_catalog.array_agg(d.doctor_id), '{}') INTO ids FROM public.doctors d WHERE d.user_id = public.app_current_user_id();
    RETURN ids;
END;
$$;

CREATE OR REPLACE FUNCTION app_colleague_doctor_ids() RETURNS INTEGER[]
LANGUAGE plpgsql STABLE AS
$$
DECLARE
    ids pg_catalog.int4[];
BEGIN
    SELECT COALESCE(pg_catalog.array_agg(d.doctor_id), '{}') INTO ids FROM public.doctors d
    WHERE d.user_id = public.app_current_user_id() OR d.department_id = ANY (public.app_my_department_ids());
    RETURN ids;
END;
$$;

CREATE OR REPLACE FUNCTION app_my_room_ids() RETURNS INTEGER[]
LANGUAGE plpgsql STABLE AS
$$
DECLARE
    ids pg_catalog.int4[];
BEGIN
    SELECT COALESCE(pg_catalog.array_agg(r.room_id), '{}') INTO ids FROM public.rooms r WHERE r.department_id = ANY (public.app_my_department_ids());
    RETURN ids;
END;
$$;

CREATE OR REPLACE FUNCTION app_patient_in_my_care(p_patient_id INTEGER, p_department_id INTEGER) RETURNS BOOLEAN
LANGUAGE plpgsql STABLE AS
$$
BEGIN
    RETURN p_department_id = ANY (public.app_my_department_ids())
        OR EXISTS (SELECT 1 FROM public.appointments a WHERE a.patient_id = p_patient_id AND a.appointment_date >= CURRENT_DATE - 90)
        OR EXISTS (SELECT 1 FROM public.room_assignments ra WHERE ra.patient_id = p_patient_id AND ra.discharged_at IS NULL);
END;
$$;

CREATE OR REPLACE FUNCTION app_patient_in_my_beds(p_patient_id INTEGER) RETURNS BOOLEAN
LANGUAGE plpgsql STABLE AS
$$
BEGIN
    RETURN EXISTS (SELECT 1 FROM public.room_assignments ra WHERE ra.patient_id = p_patient_id AND ra.discharged_at IS NULL);
END;
$$;

CREATE OR REPLACE FUNCTION app_patient_has_prescription(p_patient_id INTEGER) RETURNS BOOLEAN
LANGUAGE plpgsql STABLE AS
$$
BEGIN
    RETURN EXISTS (SELECT 1 FROM public.prescriptions p WHERE p.patient_id = p_patient_id);
END;
$$;

CREATE OR REPLACE FUNCTION app_can_see_patient(p_patient_id INTEGER) RETURNS BOOLEAN
LANGUAGE plpgsql STABLE AS
$$
BEGIN
    RETURN EXISTS (SELECT 1 FROM public.patients p WHERE p.patient_id = p_patient_id);
END;
$$;

-- Whether the current user holds a permission through an active role (the same rows sign-in reads
-- for the session's permissions). Used as "(SELECT app_has_permission(…))": evaluated once per query.
CREATE FUNCTION app_has_permission(p_permission TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS
$$
    SELECT EXISTS (
        SELECT 1
        FROM public.user_roles ur
        JOIN public.users u ON u.user_id = ur.user_id
        JOIN public.roles r ON r.role_id = ur.role_id
        JOIN public.role_permissions rp ON rp.role_id = r.role_id
        JOIN public.permissions p ON p.permission_id = rp.permission_id
        WHERE ur.user_id = public.app_current_user_id() AND u.is_active AND r.is_active
          AND p.permission_name = p_permission)
$$;

-- Whether the current role holds the rights of the table's owner (who may turn RLS off anyway).
-- Looked up from the catalog, so it stays right if the schema passes to another owner.
CREATE FUNCTION app_holds_owner_rights(p_table REGCLASS) RETURNS BOOLEAN
LANGUAGE sql STABLE AS
$$ SELECT pg_catalog.pg_has_role(c.relowner, 'USAGE') FROM pg_catalog.pg_class c WHERE c.oid = p_table $$;

GRANT EXECUTE ON FUNCTION app_has_permission(TEXT), app_holds_owner_rights(REGCLASS) TO clinic_app;

-- Grants: the privilege layer says the same as the policies -------------------------------------
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON roles, permissions, role_permissions FROM clinic_app;
REVOKE ALL ON SEQUENCE roles_role_id_seq, permissions_permission_id_seq FROM clinic_app;
REVOKE UPDATE ON user_roles FROM clinic_app;
-- Passwords and last sign-in change only through the auth_* functions; no user is ever deleted.
REVOKE INSERT, UPDATE, DELETE ON users FROM clinic_app;
GRANT INSERT (email, display_name, password_hash, is_active, created_at, updated_at) ON users TO clinic_app;
GRANT UPDATE (display_name, is_active, failed_login_count, locked_until, updated_at) ON users TO clinic_app;
-- A reset code is issued or superseded (used_at), never edited or deleted.
REVOKE INSERT, UPDATE, DELETE ON password_reset_tokens FROM clinic_app;
GRANT INSERT (user_id, token_hash, expires_at, created_at, issued_by) ON password_reset_tokens TO clinic_app;
GRANT UPDATE (used_at) ON password_reset_tokens TO clinic_app;
REVOKE UPDATE ON security_settings, terminal_idle_settings FROM clinic_app;
GRANT UPDATE (lockout_threshold, lockout_minutes, session_max_hours, updated_at, updated_by) ON security_settings TO clinic_app;
GRANT UPDATE (idle_minutes, updated_at, updated_by) ON terminal_idle_settings TO clinic_app;

-- Failed sign-ins for emails with no account ------------------------------------------------------
-- Counted exactly like an account's (users.failed_login_count / locked_until), so an unknown email
-- is "locked" after as many failures as a real one and the answers cannot tell them apart. Keyed by
-- the SHA-256 of the email (people type passwords into the email field too). Only clinic_auth's
-- functions touch it.
CREATE TABLE unknown_email_sign_in_failures (
    email_sha256 CHAR(64) PRIMARY KEY CHECK (email_sha256 ~ '^[0-9a-f]{64}$'),
    failed_login_count INTEGER NOT NULL CHECK (failed_login_count > 0),
    locked_until TIMESTAMPTZ,
    last_failed_at TIMESTAMPTZ NOT NULL
);
REVOKE ALL ON unknown_email_sign_in_failures FROM PUBLIC;

-- Row level security on every table the app may write, and on the RBAC tables it reads -----------
DO $$
DECLARE
    t TEXT;
    permission TEXT;
    owner_check TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'user_roles', 'roles', 'permissions', 'role_permissions', 'staff', 'doctors',
                             'doctor_working_hours', 'departments', 'password_reset_tokens', 'security_settings',
                             'terminal_idle_settings', 'rooms', 'room_types', 'medicine', 'medicine_lots',
                             'ambulance', 'cleaning_service', 'unknown_email_sign_in_failures'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        IF t NOT IN ('password_reset_tokens', 'unknown_email_sign_in_failures') THEN
            EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (true)', t || '_read', t);
        END IF;
        -- One policy per command, so that the app's reads never evaluate it.
        owner_check := format('(SELECT app_holds_owner_rights(%L))', 'public.' || t);
        EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK (%s)', t || '_owner_insert', t, owner_check);
        EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE USING (%s) WITH CHECK (%s)', t || '_owner_update', t, owner_check, owner_check);
        EXECUTE format('CREATE POLICY %I ON %I FOR DELETE USING (%s)', t || '_owner_delete', t, owner_check);
        IF t IN ('password_reset_tokens', 'unknown_email_sign_in_failures') THEN
            EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (%s)', t || '_owner_read', t, owner_check);
        END IF;
    END LOOP;

    -- Tables whose every write needs one permission.
    FOR t, permission IN SELECT * FROM (VALUES
        ('staff', 'users.manage'), ('doctors', 'users.manage'), ('doctor_working_hours', 'users.manage'),
        ('departments', 'settings.manage'), ('rooms', 'settings.manage'), ('room_types', 'settings.manage'),
        ('ambulance', 'settings.manage'), ('medicine', 'pharmacy.stock')) AS manage(tbl, permission) LOOP
        EXECUTE format('CREATE POLICY %I ON %I FOR INSERT TO clinic_app WITH CHECK ((SELECT app_has_permission(%L)))', t || '_manage_insert', t, permission);
        EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE TO clinic_app USING ((SELECT app_has_permission(%L))) WITH CHECK ((SELECT app_has_permission(%L)))', t || '_manage_update', t, permission, permission);
        EXECUTE format('CREATE POLICY %I ON %I FOR DELETE TO clinic_app USING ((SELECT app_has_permission(%L)))', t || '_manage_delete', t, permission);
    END LOOP;
END;
$$;

-- users: created, (de)activated and unlocked by user administrators; never deleted by the app.
CREATE POLICY users_manage_insert ON users FOR INSERT TO clinic_app WITH CHECK ((SELECT app_has_permission('users.manage')));
CREATE POLICY users_manage_update ON users FOR UPDATE TO clinic_app
    USING ((SELECT app_has_permission('users.manage'))) WITH CHECK ((SELECT app_has_permission('users.manage')));

-- user_roles: replaced (delete + insert) by user administrators, who are named as the assigner.
CREATE POLICY user_roles_manage_insert ON user_roles FOR INSERT TO clinic_app
    WITH CHECK ((SELECT app_has_permission('users.manage')) AND assigned_by = app_current_user_id());
CREATE POLICY user_roles_manage_delete ON user_roles FOR DELETE TO clinic_app USING ((SELECT app_has_permission('users.manage')));

-- password_reset_tokens: issued (valid at most 30 minutes, by the issuer in context) and superseded
-- by user administrators; redeemed only through auth_redeem_reset_token.
CREATE POLICY password_reset_tokens_manage_read ON password_reset_tokens FOR SELECT TO clinic_app USING ((SELECT app_has_permission('users.manage')));
CREATE POLICY password_reset_tokens_manage_issue ON password_reset_tokens FOR INSERT TO clinic_app
    WITH CHECK ((SELECT app_has_permission('users.manage')) AND issued_by = app_current_user_id()
                AND expires_at <= created_at + INTERVAL '30 minutes');
CREATE POLICY password_reset_tokens_manage_supersede ON password_reset_tokens FOR UPDATE TO clinic_app
    USING ((SELECT app_has_permission('users.manage'))) WITH CHECK ((SELECT app_has_permission('users.manage')));

-- security_settings, terminal_idle_settings: changed (never added or removed) by settings administrators.
CREATE POLICY security_settings_manage_update ON security_settings FOR UPDATE TO clinic_app
    USING ((SELECT app_has_permission('settings.manage')))
    WITH CHECK ((SELECT app_has_permission('settings.manage')) AND updated_by = app_current_user_id());
CREATE POLICY terminal_idle_settings_manage_update ON terminal_idle_settings FOR UPDATE TO clinic_app
    USING ((SELECT app_has_permission('settings.manage')))
    WITH CHECK ((SELECT app_has_permission('settings.manage')) AND updated_by = app_current_user_id());

-- medicine_lots: stock is received and disposed of with pharmacy.stock; dispensing lowers a lot too.
CREATE POLICY medicine_lots_stock_insert ON medicine_lots FOR INSERT TO clinic_app WITH CHECK ((SELECT app_has_permission('pharmacy.stock')));
CREATE POLICY medicine_lots_stock_update ON medicine_lots FOR UPDATE TO clinic_app
    USING ((SELECT app_has_permission('pharmacy.stock') OR app_has_permission('pharmacy.dispense')))
    WITH CHECK ((SELECT app_has_permission('pharmacy.stock') OR app_has_permission('pharmacy.dispense')));
CREATE POLICY medicine_lots_stock_delete ON medicine_lots FOR DELETE TO clinic_app USING ((SELECT app_has_permission('pharmacy.stock')));

-- cleaning_service: whoever assigns beds schedules and completes cleaning in their own rooms.
CREATE POLICY cleaning_service_manage_insert ON cleaning_service FOR INSERT TO clinic_app WITH CHECK (
    (SELECT app_has_permission('settings.manage'))
    OR ((SELECT app_has_permission('rooms.assign')) AND room_id IN (SELECT unnest(app_my_room_ids()))));
CREATE POLICY cleaning_service_manage_update ON cleaning_service FOR UPDATE TO clinic_app
    USING ((SELECT app_has_permission('settings.manage'))
           OR ((SELECT app_has_permission('rooms.assign')) AND room_id IN (SELECT unnest(app_my_room_ids()))))
    WITH CHECK ((SELECT app_has_permission('settings.manage'))
           OR ((SELECT app_has_permission('rooms.assign')) AND room_id IN (SELECT unnest(app_my_room_ids()))));
CREATE POLICY cleaning_service_manage_delete ON cleaning_service FOR DELETE TO clinic_app USING ((SELECT app_has_permission('settings.manage')));

-- Sign-in's own writes: clinic_auth and its functions -------------------------------------------
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'clinic_auth') THEN
        CREATE ROLE clinic_auth NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
    -- Handing functions to clinic_auth needs its privileges: a superuser has them; a non-superuser
    -- owner that created it may grant itself membership (CREATEROLE on 15, ADMIN OPTION from 16).
    IF NOT pg_catalog.pg_has_role(current_user, 'clinic_auth', 'USAGE') THEN
        IF pg_catalog.current_setting('server_version_num')::INTEGER >= 160000 THEN
            EXECUTE pg_catalog.format('GRANT clinic_auth TO %I WITH INHERIT TRUE, SET TRUE', current_user);
        ELSE
            EXECUTE pg_catalog.format('GRANT clinic_auth TO %I', current_user);
        END IF;
    END IF;
END;
$$;
GRANT USAGE ON SCHEMA public TO clinic_auth;
GRANT SELECT ON users, security_settings, password_reset_tokens TO clinic_auth;
GRANT UPDATE (failed_login_count, locked_until, last_login, password_hash, updated_at) ON users TO clinic_auth;
GRANT UPDATE (used_at) ON password_reset_tokens TO clinic_auth;
GRANT SELECT, INSERT, UPDATE ON unknown_email_sign_in_failures TO clinic_auth;
CREATE POLICY users_sign_in_bookkeeping ON users FOR UPDATE TO clinic_auth USING (true) WITH CHECK (true);
-- (RETURNING checks the changed row against the SELECT policy too, so that one cannot ask used_at IS NULL.)
CREATE POLICY password_reset_tokens_redeem_read ON password_reset_tokens FOR SELECT TO clinic_auth USING (true);
CREATE POLICY password_reset_tokens_redeem ON password_reset_tokens FOR UPDATE TO clinic_auth
    USING (used_at IS NULL) WITH CHECK (used_at IS NOT NULL);
CREATE POLICY unknown_email_sign_in_failures_count ON unknown_email_sign_in_failures FOR ALL TO clinic_auth
    USING (true) WITH CHECK (true);

-- One failed sign-in (or lock-screen unlock) for this email, whether or not an account has it. A
-- locked account or email is not counted again; at the administrator's threshold it locks for the
-- administrator's minutes from p_now (main's clock, which the rest of sign-in also uses). Returns
-- true when this failure is the one that locked it.
CREATE FUNCTION auth_record_failed_sign_in(p_email TEXT, p_now TIMESTAMPTZ) RETURNS BOOLEAN
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    typed_email TEXT := pg_catalog.lower(pg_catalog.btrim(p_email));
    threshold INTEGER;
    lock_minutes INTEGER;
    account UUID;
    just_locked BOOLEAN;
BEGIN
    IF typed_email IS NULL OR typed_email = '' OR pg_catalog.length(typed_email) > 255 OR p_now IS NULL THEN
        RAISE EXCEPTION 'a failed sign-in needs an email and a time' USING ERRCODE = '22023';
    END IF;
    SELECT s.lockout_threshold, s.lockout_minutes INTO threshold, lock_minutes FROM public.security_settings s;
    SELECT u.user_id INTO account FROM public.users u WHERE u.email = typed_email;
    IF account IS NOT NULL THEN
        UPDATE public.users u
           SET failed_login_count = u.failed_login_count + 1,
               locked_until = CASE WHEN u.failed_login_count + 1 >= threshold
                                   THEN p_now + pg_catalog.make_interval(mins => lock_minutes) ELSE u.locked_until END
         WHERE u.user_id = account AND (u.locked_until IS NULL OR u.locked_until <= p_now)
        RETURNING u.failed_login_count = threshold INTO just_locked;
    ELSE
        INSERT INTO public.unknown_email_sign_in_failures AS f (email_sha256, failed_login_count, locked_until, last_failed_at)
        VALUES (pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(typed_email, 'UTF8')), 'hex'), 1,
                CASE WHEN 1 >= threshold THEN p_now + pg_catalog.make_interval(mins => lock_minutes) END, p_now)
        ON CONFLICT (email_sha256) DO UPDATE
           SET failed_login_count = f.failed_login_count + 1,
               locked_until = CASE WHEN f.failed_login_count + 1 >= threshold
                                   THEN p_now + pg_catalog.make_interval(mins => lock_minutes) ELSE f.locked_until END,
               last_failed_at = p_now
         WHERE f.locked_until IS NULL OR f.locked_until <= p_now
        RETURNING f.failed_login_count = threshold INTO just_locked;
    END IF;
    RETURN COALESCE(just_locked, false);
END;
$$;

-- Until when an email that has no account is locked (null: not locked, or never failed).
CREATE FUNCTION auth_unknown_email_locked_until(p_email TEXT) RETURNS TIMESTAMPTZ
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
    SELECT f.locked_until FROM public.unknown_email_sign_in_failures f
    WHERE f.email_sha256 = pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(pg_catalog.lower(pg_catalog.btrim(p_email)), 'UTF8')), 'hex')
$$;

-- The user in context has just signed in (their password checked by main): last sign-in, failures cleared.
CREATE FUNCTION auth_record_sign_in(p_user_id UUID, p_now TIMESTAMPTZ) RETURNS VOID
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF p_user_id IS NULL OR p_now IS NULL OR p_user_id IS DISTINCT FROM public.app_current_user_id() THEN
        RAISE EXCEPTION 'a sign-in is recorded only for the user in context' USING ERRCODE = '42501';
    END IF;
    UPDATE public.users u SET last_login = p_now, failed_login_count = 0, locked_until = NULL, updated_at = p_now
     WHERE u.user_id = p_user_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such user' USING ERRCODE = '42501';
    END IF;
END;
$$;

-- The user in context sets their own password (main has checked the old one, or a reset code was
-- just redeemed for them). Only an argon2id hash at least as strong as main makes is accepted.
CREATE FUNCTION auth_set_own_password(p_user_id UUID, p_password_hash TEXT, p_now TIMESTAMPTZ) RETURNS VOID
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    cost pg_catalog.text[] := pg_catalog.regexp_match(p_password_hash, '^\$argon2id\$v=19\$m=([0-9]{1,9}),t=([0-9]{1,4}),p=([0-9]{1,3})\$[A-Za-z0-9+/]{16,}\$[A-Za-z0-9+/]{32,}$');
BEGIN
    IF p_user_id IS NULL OR p_now IS NULL OR p_user_id IS DISTINCT FROM public.app_current_user_id() THEN
        RAISE EXCEPTION 'a password is set only by the user in context' USING ERRCODE = '42501';
    END IF;
    IF cost IS NULL OR pg_catalog.length(p_password_hash) > 255 OR cost[1]::INTEGER < 19456 OR cost[2]::INTEGER < 2 THEN
        RAISE EXCEPTION 'not an argon2id hash of the required strength' USING ERRCODE = '22023';
    END IF;
    UPDATE public.users u SET password_hash = p_password_hash, failed_login_count = 0, locked_until = NULL, updated_at = p_now
     WHERE u.user_id = p_user_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such user' USING ERRCODE = '42501';
    END IF;
END;
$$;

-- Redeems a one-time code for the account with this email: unused, unexpired at p_now, once. The
-- single UPDATE decides between concurrent redemptions. Returns the user's id, or null.
CREATE FUNCTION auth_redeem_reset_token(p_email TEXT, p_token_sha256 TEXT, p_now TIMESTAMPTZ) RETURNS UUID
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    redeemed UUID;
BEGIN
    IF p_email IS NULL OR p_now IS NULL OR p_token_sha256 IS NULL OR p_token_sha256 !~ '^[0-9a-f]{64}$' THEN
        RAISE EXCEPTION 'a reset code is redeemed with an email, the code''s SHA-256 and a time' USING ERRCODE = '22023';
    END IF;
    UPDATE public.password_reset_tokens t SET used_at = p_now
      FROM public.users u
     WHERE u.user_id = t.user_id AND u.email = pg_catalog.lower(pg_catalog.btrim(p_email))
       AND t.token_hash = p_token_sha256 AND t.used_at IS NULL AND t.expires_at > p_now
    RETURNING t.user_id INTO redeemed;
    RETURN redeemed;
END;
$$;

REVOKE ALL ON FUNCTION auth_record_failed_sign_in(TEXT, TIMESTAMPTZ), auth_unknown_email_locked_until(TEXT),
    auth_record_sign_in(UUID, TIMESTAMPTZ), auth_set_own_password(UUID, TEXT, TIMESTAMPTZ),
    auth_redeem_reset_token(TEXT, TEXT, TIMESTAMPTZ) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_record_failed_sign_in(TEXT, TIMESTAMPTZ), auth_unknown_email_locked_until(TEXT),
    auth_record_sign_in(UUID, TIMESTAMPTZ), auth_set_own_password(UUID, TEXT, TIMESTAMPTZ),
    auth_redeem_reset_token(TEXT, TEXT, TIMESTAMPTZ) TO clinic_app;
-- clinic_auth needs CREATE on the schema only for the hand-over (an owner must be able to create there).
GRANT CREATE ON SCHEMA public TO clinic_auth;
ALTER FUNCTION auth_record_failed_sign_in(TEXT, TIMESTAMPTZ) OWNER TO clinic_auth;
ALTER FUNCTION auth_unknown_email_locked_until(TEXT) OWNER TO clinic_auth;
ALTER FUNCTION auth_record_sign_in(UUID, TIMESTAMPTZ) OWNER TO clinic_auth;
ALTER FUNCTION auth_set_own_password(UUID, TEXT, TIMESTAMPTZ) OWNER TO clinic_auth;
ALTER FUNCTION auth_redeem_reset_token(TEXT, TEXT, TIMESTAMPTZ) OWNER TO clinic_auth;
REVOKE CREATE ON SCHEMA public FROM clinic_auth;

-- Policies of 008: WITH CHECK as strict as USING ----------------------------------------------
-- Writes may read "upwards" (a prescription or bed check asks whether the patient is visible);
-- reads still go one way only (see 008), so no policy recurses.

-- A doctor prescribes only for patients in their care.
DROP POLICY prescriptions_doctor_prescribe ON prescriptions;
CREATE POLICY prescriptions_doctor_prescribe ON prescriptions FOR INSERT WITH CHECK (
    (SELECT 'doctor' = ANY (app_roles())) AND doctor_id IN (SELECT unnest(app_my_doctor_ids()))
    AND app_can_see_patient(patient_id));

-- A nurse gives a bed in her department's rooms only to a patient she can already see.
DROP POLICY room_assignments_nurse_assign ON room_assignments;
CREATE POLICY room_assignments_nurse_assign ON room_assignments FOR INSERT WITH CHECK (
    (SELECT 'nurse' = ANY (app_roles())) AND room_id IN (SELECT unnest(app_my_room_ids()))
    AND app_can_see_patient(patient_id));
DROP POLICY room_assignments_nurse_move ON room_assignments;
CREATE POLICY room_assignments_nurse_move ON room_assignments FOR UPDATE
    USING ((SELECT 'nurse' = ANY (app_roles())) AND room_id IN (SELECT unnest(app_my_room_ids())))
    WITH CHECK ((SELECT 'nurse' = ANY (app_roles())) AND room_id IN (SELECT unnest(app_my_room_ids()))
                AND app_can_see_patient(patient_id));

-- An author amends only their own record, on a patient they can still see.
DROP POLICY medical_records_author_update ON medical_records;
CREATE POLICY medical_records_author_update ON medical_records FOR UPDATE
    USING ((SELECT app_roles() && ARRAY['doctor', 'nurse']) AND created_by = app_current_user_id())
    WITH CHECK ((SELECT app_roles() && ARRAY['doctor', 'nurse']) AND created_by = app_current_user_id()
                AND app_can_see_patient(patient_id));

-- The front desk registers patients without a caring department (that puts a patient in a ward's or
-- a clinic's scope); it cannot move one either (patients_guard_department below).
DROP POLICY patients_front_desk_register ON patients;
CREATE POLICY patients_front_desk_register ON patients FOR INSERT WITH CHECK (
    (SELECT 'front_desk' = ANY (app_roles())) AND department_id IS NULL);

-- The front desk books with a doctor for that doctor's department (or none), not for a ward's scope.
DROP POLICY appointments_front_desk_book ON appointments;
CREATE POLICY appointments_front_desk_book ON appointments FOR INSERT WITH CHECK (
    (SELECT 'front_desk' = ANY (app_roles()))
    AND (department_id IS NULL OR department_id = (SELECT d.department_id FROM public.doctors d WHERE d.doctor_id = appointments.doctor_id)));
DROP POLICY appointments_front_desk_change ON appointments;
CREATE POLICY appointments_front_desk_change ON appointments FOR UPDATE
    USING ((SELECT 'front_desk' = ANY (app_roles())))
    WITH CHECK ((SELECT 'front_desk' = ANY (app_roles()))
        AND (department_id IS NULL OR department_id = (SELECT d.department_id FROM public.doctors d WHERE d.doctor_id = appointments.doctor_id)));

-- What each role may change in a row it may update: a policy sees only the new row, so these are triggers.

-- A prescription keeps its patient, prescriber and date (for anyone but an administrator); its
-- prescriber may amend the rest; anyone else — the pharmacist dispensing — changes only the columns
-- of dispensing (a migration that adds dispensing columns adds them to the list).
CREATE FUNCTION prescriptions_guard_changes() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    dispensing_columns CONSTANT pg_catalog.text[] := ARRAY['status'];
BEGIN
    IF public.app_has_role('admin') THEN
        RETURN NEW;
    END IF;
    IF (NEW.patient_id, NEW.doctor_id, NEW.prescribed_at) IS DISTINCT FROM (OLD.patient_id, OLD.doctor_id, OLD.prescribed_at) THEN
        RAISE EXCEPTION 'a prescription keeps its patient, prescriber and date: write a new one' USING ERRCODE = '42501';
    END IF;
    IF public.app_has_role('doctor') AND OLD.doctor_id = ANY (public.app_my_doctor_ids()) THEN
        RETURN NEW;
    END IF;
    IF (pg_catalog.to_jsonb(NEW) - dispensing_columns) IS DISTINCT FROM (pg_catalog.to_jsonb(OLD) - dispensing_columns) THEN
        RAISE EXCEPTION 'dispensing changes only %', pg_catalog.array_to_string(dispensing_columns, ', ') USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END;
$$;
REVOKE ALL ON FUNCTION prescriptions_guard_changes() FROM PUBLIC;
CREATE TRIGGER prescriptions_guard_changes BEFORE UPDATE ON prescriptions
    FOR EACH ROW EXECUTE FUNCTION prescriptions_guard_changes();

-- A patient's caring department decides which ward or clinic sees them: it is moved only by an
-- administrator, or by a clinician into one of their own departments (the doctors' policies also
-- require the patient to be in their department before).
CREATE FUNCTION patients_guard_department() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF NEW.department_id IS NOT DISTINCT FROM OLD.department_id OR public.app_has_role('admin') THEN
        RETURN NEW;
    END IF;
    IF public.app_roles() && ARRAY['doctor', 'nurse'] AND NEW.department_id = ANY (public.app_my_department_ids()) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'only an administrator or a clinician of the receiving department moves a patient to it' USING ERRCODE = '42501';
END;
$$;
REVOKE ALL ON FUNCTION patients_guard_department() FROM PUBLIC;
CREATE TRIGGER patients_guard_department BEFORE UPDATE OF department_id ON patients
    FOR EACH ROW EXECUTE FUNCTION patients_guard_department();
