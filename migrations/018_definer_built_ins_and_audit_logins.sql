-- 018 What an attacker with a terminal's database login could still do after 015–017, closed.
--
-- 1. Overloads in schema public. Where PUBLIC may create in public (every cluster pg_upgraded from
--    PostgreSQL 14 or older), a login made public.to_jsonb(r public.patients): the audit trigger's
--    unqualified to_jsonb(OLD) chose that exact-type overload over pg_catalog's (pg_catalog first on
--    the path does not help when the other candidate matches better) and ran the login's code as
--    clinic_owner. Now: no one but the schema's owner may create in public (checked here, and main
--    refuses to start on a server where its login may create in a schema it searches, or in the
--    database); and every SECURITY DEFINER function, and every helper they call, names the schema
--    of each function it calls (pg_catalog.to_jsonb, public.pgp_sym_decrypt, …), so an overload
--    elsewhere is never a candidate. record_auth_event and auth_unknown_email_locked_until,
--    auth_record_sign_in, auth_set_own_password already did (015, 016). Operators cannot be
--    qualified as readably; they are covered by nobody but the owner being able to create them.
--    (tests/security/public-schema-overload.test.ts)
-- 2. Audit rows name the database login (session_user, which SECURITY DEFINER does not change), so
--    one terminal's changes can be told from another's; staff, doctors, their hours, departments,
--    rooms, room types, roles and permissions are audited too. (tests/security/audit-logins.test.ts)
-- 3. Times chosen by the caller are bounded by the server's clock: a failed sign-in dated more than
--    five minutes ahead of the server is refused (an 'infinity' lock), a reset code may not outlive
--    the server's now() + 30 minutes (+5 of clock skew), and a code is redeemable only within 30
--    minutes of the server's own time of issue, whatever time the caller names. Main's own clock
--    still decides within those bounds (a workstation's clock, and the tests' fake one).
--    (tests/security/caller-clock.test.ts)
-- 4. The audit trail holds no ciphertext: a medical history (or the key check, or 017's legacy
--    sample) is recorded as its Key-Id and a SHA-256 of the ciphertext, so rotating the key leaves no
--    history readable with the old key in audit_log. Rows written before 018 are scrubbed the same
--    way. (tests/security/audit-no-ciphertext.test.ts)

-- 1. Nobody but the owner creates in public, nor (where this owner may say so) in the database ---
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM clinic_app, clinic_phi, clinic_auth;
DO $$
BEGIN
    -- Only the database's owner may revoke this; anyone else gets a warning, and the check below decides.
    IF pg_catalog.pg_has_role(current_user, (SELECT d.datdba FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()), 'USAGE') THEN
        EXECUTE pg_catalog.format('REVOKE CREATE ON DATABASE %I FROM PUBLIC, clinic_app', pg_catalog.current_database());
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
               WHERE n.nspname = 'public' AND a.privilege_type = 'CREATE' AND a.grantee = 0)
       OR pg_catalog.has_schema_privilege('clinic_app', 'public', 'CREATE') THEN
        RAISE EXCEPTION 'PUBLIC or clinic_app may still create objects in schema public, which lets a login plant overloads that SECURITY DEFINER code would call'
            USING ERRCODE = '42501',
                  HINT = 'The owner of schema public (often the superuser on a pg_upgraded cluster) runs: REVOKE CREATE ON SCHEMA public FROM PUBLIC, clinic_app; then run this migration again.';
    END IF;
    -- Functions or operators someone else already planted there would be candidates for any call
    -- this schema makes: the DBA looks at and drops them first (extensions' own members are fine).
    IF EXISTS (
        SELECT 1 FROM pg_catalog.pg_proc p
        WHERE p.pronamespace = 'public'::pg_catalog.regnamespace AND NOT pg_catalog.pg_has_role(current_user, p.proowner, 'USAGE')
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid AND d.deptype = 'e')
        UNION ALL
        SELECT 1 FROM pg_catalog.pg_operator o
        WHERE o.oprnamespace = 'public'::pg_catalog.regnamespace AND NOT pg_catalog.pg_has_role(current_user, o.oprowner, 'USAGE')
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_operator'::pg_catalog.regclass AND d.objid = o.oid AND d.deptype = 'e')) THEN
        RAISE EXCEPTION 'schema public holds functions or operators of another role (not the owner''s, not an extension''s): %',
            (SELECT pg_catalog.string_agg(x, ', ') FROM (
                SELECT p.oid::pg_catalog.regprocedure::pg_catalog.text AS x FROM pg_catalog.pg_proc p
                WHERE p.pronamespace = 'public'::pg_catalog.regnamespace AND NOT pg_catalog.pg_has_role(current_user, p.proowner, 'USAGE')
                  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid AND d.deptype = 'e')
                UNION ALL
                SELECT o.oid::pg_catalog.regoperator::pg_catalog.text FROM pg_catalog.pg_operator o
                WHERE o.oprnamespace = 'public'::pg_catalog.regnamespace AND NOT pg_catalog.pg_has_role(current_user, o.oprowner, 'USAGE')
                  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_operator'::pg_catalog.regclass AND d.objid = o.oid AND d.deptype = 'e')) planted)
            USING ERRCODE = '42501', HINT = 'They may have been planted by a login to run code as this schema''s owner: inspect and drop them, then run this migration again.';
    END IF;
END;
$$;

-- 2 and 4. The audit trail: the login, no ciphertext -------------------------------------------
-- Catalog-only: old rows keep NULL (their login is unknown), new rows get the inserting session's login.
ALTER TABLE audit_log ADD COLUMN db_login TEXT;
ALTER TABLE audit_log ALTER COLUMN db_login SET DEFAULT session_user;

-- A row as the audit trail keeps it: any OpenPGP message (a medical history, 017's key check or
-- legacy sample) becomes the id of the key it was written under and a digest of the ciphertext.
CREATE FUNCTION audit_without_ciphertext(p_row JSONB) RETURNS JSONB
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN p_row IS NULL OR pg_catalog.strpos(p_row::pg_catalog.text, '-----BEGIN PGP MESSAGE-----') = 0 THEN p_row
    ELSE (SELECT pg_catalog.jsonb_object_agg(e.key,
              CASE WHEN pg_catalog.jsonb_typeof(e.value) = 'string' AND pg_catalog.strpos(e.value #>> '{}', '-----BEGIN PGP MESSAGE-----') > 0
                   THEN pg_catalog.jsonb_build_object(
                        'key_id', (pg_catalog.regexp_match(e.value #>> '{}', 'Key-Id: ([0-9a-f]{16})'))[1],
                        'ciphertext_sha256', pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(e.value #>> '{}', 'UTF8')), 'hex'))
                   ELSE e.value END)
          FROM pg_catalog.jsonb_each(p_row) AS e)
    END
$$;
REVOKE ALL ON FUNCTION audit_without_ciphertext(JSONB) FROM PUBLIC;

CREATE OR REPLACE FUNCTION audit_trigger_function()
RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    INSERT INTO public.audit_log (table_name, operation, user_id, old_values, new_values, db_login)
    VALUES (
        TG_TABLE_NAME,
        TG_OP,
        NULLIF(pg_catalog.current_setting('app.current_user_id', true), '')::pg_catalog.uuid,
        CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN public.audit_without_ciphertext(pg_catalog.to_jsonb(OLD)) END,
        CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN public.audit_without_ciphertext(pg_catalog.to_jsonb(NEW)) END,
        session_user
    );
    RETURN COALESCE(NEW, OLD);
END;
$$;
REVOKE ALL ON FUNCTION audit_trigger_function() FROM PUBLIC;

-- Ciphertext already in the trail is cleaned by 019, outside this transaction: here it would run
-- under the ACCESS EXCLUSIVE lock ADD COLUMN takes, stopping every audited write while it scans.

-- The tables row level security trusts, audited like the rest (all small).
CREATE TRIGGER staff_audit AFTER INSERT OR UPDATE OR DELETE ON staff FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER doctors_audit AFTER INSERT OR UPDATE OR DELETE ON doctors FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER doctor_working_hours_audit AFTER INSERT OR UPDATE OR DELETE ON doctor_working_hours FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER departments_audit AFTER INSERT OR UPDATE OR DELETE ON departments FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER rooms_audit AFTER INSERT OR UPDATE OR DELETE ON rooms FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER room_types_audit AFTER INSERT OR UPDATE OR DELETE ON room_types FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER roles_audit AFTER INSERT OR UPDATE OR DELETE ON roles FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER permissions_audit AFTER INSERT OR UPDATE OR DELETE ON permissions FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();

-- 1. The other definers (and the helpers they call), every function named with its schema ------
-- CREATE OR REPLACE keeps each one's owner (clinic_owner, or clinic_phi since 009/017) and grants.

CREATE OR REPLACE FUNCTION patient_name_words_sync() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    INSERT INTO public.patient_name_words (word) VALUES (NEW.search_last), (NEW.search_first) ON CONFLICT DO NOTHING;
    RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION find_name_words(p_fragment TEXT, p_mode TEXT, p_limit INTEGER)
RETURNS TABLE (word TEXT)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF NOT (public.app_roles() && ARRAY['admin', 'front_desk']) OR pg_catalog.length(p_fragment) < 3 THEN
        RETURN;
    END IF;
    IF p_mode = 'partial' THEN
        RETURN QUERY
            SELECT w.word::pg_catalog.text FROM public.patient_name_words w
            WHERE w.word LIKE '%' || pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(p_fragment, '\', '\\'), '%', '\%'), '_', '\_') || '%'
            ORDER BY w.word LIMIT LEAST(p_limit, 100);
    ELSE
        PERFORM pg_catalog.set_config('pg_trgm.similarity_threshold', '0.4', true);
        RETURN QUERY
            SELECT w.word::pg_catalog.text FROM public.patient_name_words w
            WHERE w.word OPERATOR(public.%) p_fragment
            ORDER BY public.similarity(w.word, p_fragment) DESC, w.word LIMIT LEAST(p_limit, 100);
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION app_credential_fingerprints(p_user_ids UUID[])
RETURNS TABLE (user_id UUID, is_active BOOLEAN, fingerprint TEXT)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
    SELECT u.user_id, COALESCE(u.is_active, false), pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(u.password_hash, 'UTF8')), 'hex')
    FROM public.users u
    WHERE u.user_id = ANY (p_user_ids[1:100]);
$$;

-- The medical-history functions (clinic_phi's) and their helpers, which run inside them as clinic_phi.
CREATE OR REPLACE FUNCTION medical_history_key_opens(p_armored TEXT, p_key TEXT)
RETURNS BOOLEAN
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF p_armored IS NULL OR p_key IS NULL OR p_key = '' THEN
        RETURN FALSE;
    END IF;
    PERFORM public.pgp_sym_decrypt_bytea(public.dearmor(p_armored), p_key);
    RETURN TRUE;
EXCEPTION WHEN external_routine_invocation_exception THEN
    RETURN FALSE;
END;
$$;

CREATE OR REPLACE FUNCTION medical_history_encrypt(p_text TEXT, p_key TEXT, p_key_id TEXT)
RETURNS TEXT
LANGUAGE sql VOLATILE STRICT
SET search_path = pg_catalog, public, pg_temp
AS $$
    SELECT public.armor(public.pgp_sym_encrypt(p_text, p_key, 'cipher-algo=aes256, s2k-mode=3'), ARRAY['Key-Id'], ARRAY[p_key_id])
$$;

CREATE OR REPLACE FUNCTION medical_history_key_check(p_key TEXT, p_key_id TEXT)
RETURNS TEXT
LANGUAGE sql VOLATILE STRICT
SET search_path = pg_catalog, public, pg_temp
AS $$ SELECT public.medical_history_encrypt('Clinic Workstation medical-history key check', p_key, p_key_id) $$;

CREATE OR REPLACE FUNCTION read_medical_history(p_patient_id INTEGER, p_key TEXT)
RETURNS TEXT
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    current_key public.medical_history_key%ROWTYPE;
    armored TEXT;
    written_under TEXT;
BEGIN
    IF NOT (public.app_has_role('doctor') OR public.app_has_role('nurse') OR public.app_has_role('admin')) THEN
        RAISE EXCEPTION 'medical history is for clinical staff' USING ERRCODE = '42501';
    END IF;
    SELECT * INTO current_key FROM public.medical_history_key;
    IF current_key.key_check IS NOT NULL AND NOT public.medical_history_key_opens(current_key.key_check, p_key) THEN
        RAISE EXCEPTION 'this is not the current medical-history key' USING ERRCODE = 'MHK01';
    END IF;
    SELECT p.medical_history INTO armored FROM public.patients p WHERE p.patient_id = p_patient_id; -- RLS-filtered
    IF armored IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT h.value INTO written_under FROM public.pgp_armor_headers(armored) h WHERE h.key = 'Key-Id';
    IF written_under IS NOT NULL AND written_under IS DISTINCT FROM current_key.key_id THEN
        RAISE EXCEPTION 'the medical history of patient % was written under another key (Key-Id %)', p_patient_id, written_under
            USING ERRCODE = 'MHK02';
    END IF;
    BEGIN
        RETURN public.pgp_sym_decrypt(public.dearmor(armored), p_key);
    EXCEPTION WHEN external_routine_invocation_exception THEN
        RAISE EXCEPTION 'the medical history of patient % does not open with this key', p_patient_id USING ERRCODE = 'MHK01';
    END;
END;
$$;

CREATE OR REPLACE FUNCTION write_medical_history(p_patient_id INTEGER, p_history TEXT, p_key TEXT)
RETURNS BOOLEAN
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    current_key public.medical_history_key%ROWTYPE;
    existing TEXT;
BEGIN
    IF NOT (public.app_has_role('doctor') OR public.app_has_role('admin')) THEN
        RAISE EXCEPTION 'only doctors write medical history' USING ERRCODE = '42501';
    END IF;
    -- Lock the key row: shared once a key is recorded (a rotation cannot swap it before this write
    -- commits), exclusive while none is (two first writers cannot record two keys).
    IF (SELECT k.key_check IS NULL FROM public.medical_history_key k) THEN
        SELECT * INTO current_key FROM public.medical_history_key FOR UPDATE;
    ELSE
        SELECT * INTO current_key FROM public.medical_history_key FOR SHARE;
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'medical_history_key has lost its row; restore it before writing' USING ERRCODE = '55000';
    END IF;
    IF current_key.key_check IS NULL THEN
        -- The first key used after 017 is recorded, once it has opened what was stored before.
        SELECT p.medical_history INTO existing FROM public.patients p WHERE p.patient_id = p_patient_id; -- RLS-filtered
        IF p_key IS NULL OR p_key = ''
           OR (current_key.legacy_sample IS NOT NULL AND NOT public.medical_history_key_opens(current_key.legacy_sample, p_key))
           OR (existing IS NOT NULL AND NOT public.medical_history_key_opens(existing, p_key)) THEN
            RAISE EXCEPTION 'this key does not open the medical histories already stored; nothing was written' USING ERRCODE = 'MHK01';
        END IF;
        current_key.key_id := pg_catalog.encode(public.gen_random_bytes(8), 'hex');
        UPDATE public.medical_history_key
           SET key_id = current_key.key_id, key_check = public.medical_history_key_check(p_key, current_key.key_id),
               legacy_sample = NULL, changed_at = pg_catalog.now();
    ELSIF NOT public.medical_history_key_opens(current_key.key_check, p_key) THEN
        RAISE EXCEPTION 'this is not the current medical-history key; nothing was written' USING ERRCODE = 'MHK01';
    END IF;
    UPDATE public.patients
       SET medical_history = CASE WHEN p_history IS NULL OR p_history = '' THEN NULL
                                  ELSE public.medical_history_encrypt(p_history, p_key, current_key.key_id) END,
           updated_at = pg_catalog.now()
     WHERE patient_id = p_patient_id;                                                 -- RLS-filtered
    RETURN FOUND;
END;
$$;

CREATE OR REPLACE FUNCTION rotate_medical_history_key(p_old_key TEXT, p_new_key TEXT)
RETURNS INTEGER
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    current_key public.medical_history_key%ROWTYPE;
    new_key_id TEXT := pg_catalog.encode(public.gen_random_bytes(8), 'hex');
    rotated INTEGER;
BEGIN
    IF NOT public.app_has_role('admin') THEN
        RAISE EXCEPTION 'only administrators rotate the key' USING ERRCODE = '42501';
    END IF;
    IF p_new_key IS NULL OR pg_catalog.length(p_new_key) < 32 OR p_new_key = p_old_key THEN
        RAISE EXCEPTION 'the new key must differ from the old one and have at least 32 characters (e.g. 32 random bytes, base64url)'
            USING ERRCODE = '22023';
    END IF;
    SELECT * INTO current_key FROM public.medical_history_key FOR UPDATE;    -- writes wait until the rotation ends
    IF NOT FOUND THEN
        RAISE EXCEPTION 'medical_history_key has lost its row; restore it before rotating' USING ERRCODE = '55000';
    END IF;
    IF (current_key.key_check IS NOT NULL AND NOT public.medical_history_key_opens(current_key.key_check, p_old_key))
       OR (current_key.legacy_sample IS NOT NULL AND NOT public.medical_history_key_opens(current_key.legacy_sample, p_old_key)) THEN
        RAISE EXCEPTION 'the old key is not the current medical-history key; nothing was changed' USING ERRCODE = 'MHK01';
    END IF;
    BEGIN
        UPDATE public.patients
           SET medical_history = public.medical_history_encrypt(public.pgp_sym_decrypt(public.dearmor(medical_history), p_old_key), p_new_key, new_key_id)
         WHERE medical_history IS NOT NULL;
        GET DIAGNOSTICS rotated = ROW_COUNT;
    EXCEPTION WHEN external_routine_invocation_exception THEN
        RAISE EXCEPTION 'a stored medical history does not open with the old key; nothing was changed' USING ERRCODE = 'MHK01';
    END;
    UPDATE public.medical_history_key
       SET key_id = new_key_id, key_check = public.medical_history_key_check(p_new_key, new_key_id),
           legacy_sample = NULL, changed_at = pg_catalog.now();
    RETURN rotated;
END;
$$;

-- 3. The caller's clock, bounded by the server's --------------------------------------------------
-- The server's own time of issue: not writable by the app (its INSERT grant names columns), so a
-- code is redeemable only within 30 minutes of it. Catalog-only; codes issued before 018 count from now.
ALTER TABLE password_reset_tokens ADD COLUMN issued_on_server TIMESTAMPTZ;
UPDATE password_reset_tokens SET issued_on_server = pg_catalog.now() WHERE used_at IS NULL;
ALTER TABLE password_reset_tokens ALTER COLUMN issued_on_server SET DEFAULT pg_catalog.now();

ALTER POLICY password_reset_tokens_manage_issue ON password_reset_tokens
    WITH CHECK ((SELECT app_has_permission('users.manage')) AND issued_by = app_current_user_id()
                AND expires_at <= created_at + INTERVAL '30 minutes'
                AND expires_at <= pg_catalog.now() + INTERVAL '35 minutes');

CREATE OR REPLACE FUNCTION auth_record_failed_sign_in(p_email TEXT, p_now TIMESTAMPTZ) RETURNS BOOLEAN
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
    -- A lock ends at most the administrator's minutes (plus clock skew) after the server's now.
    IF p_now > pg_catalog.now() + INTERVAL '5 minutes' THEN
        RAISE EXCEPTION 'a failed sign-in is dated more than 5 minutes ahead of the server''s clock' USING ERRCODE = '22023';
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

CREATE OR REPLACE FUNCTION auth_redeem_reset_token(p_email TEXT, p_token_sha256 TEXT, p_now TIMESTAMPTZ) RETURNS UUID
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    redeemed UUID;
BEGIN
    IF p_email IS NULL OR p_now IS NULL OR p_token_sha256 IS NULL OR p_token_sha256 !~ '^[0-9a-f]{64}$' THEN
        RAISE EXCEPTION 'a reset code is redeemed with an email, the code''s SHA-256 and a time' USING ERRCODE = '22023';
    END IF;
    -- Unexpired at the caller's time, and issued within 30 minutes by the server's: an old code stays
    -- dead whatever time the caller names.
    UPDATE public.password_reset_tokens t SET used_at = p_now
      FROM public.users u
     WHERE u.user_id = t.user_id AND u.email = pg_catalog.lower(pg_catalog.btrim(p_email))
       AND t.token_hash = p_token_sha256 AND t.used_at IS NULL AND t.expires_at > p_now
       AND t.issued_on_server > pg_catalog.now() - INTERVAL '30 minutes'
    RETURNING t.user_id INTO redeemed;
    RETURN redeemed;
END;
$$;

-- Locks and codes already set beyond those bounds are brought within them.
UPDATE users
   SET locked_until = pg_catalog.now() + pg_catalog.make_interval(mins => (SELECT s.lockout_minutes FROM security_settings s))
 WHERE locked_until > pg_catalog.now() + pg_catalog.make_interval(mins => (SELECT s.lockout_minutes FROM security_settings s)) + INTERVAL '5 minutes';
UPDATE unknown_email_sign_in_failures
   SET locked_until = pg_catalog.now() + pg_catalog.make_interval(mins => (SELECT s.lockout_minutes FROM security_settings s))
 WHERE locked_until > pg_catalog.now() + pg_catalog.make_interval(mins => (SELECT s.lockout_minutes FROM security_settings s)) + INTERVAL '5 minutes';
