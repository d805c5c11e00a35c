-- 015 SECURITY DEFINER functions run with their owner's rights, so nothing the caller controls may
-- steer them. Until now they pinned "search_path = pg_catalog, public" without pg_temp, and a path
-- that does not name pg_temp searches it FIRST for tables: a caller's temporary audit_log (with a
-- trigger of its own) received the audit rows and ran its code as the owner.
--
-- Rules from here on, for every SECURITY DEFINER function in every migration (the test
-- tests/integration/security-definer.test.ts fails on any function that breaks them):
--   * SET search_path = pg_catalog, public, pg_temp  (pg_temp named, and last), or an empty path
--     with every name schema-qualified;
--   * REVOKE ALL ... FROM PUBLIC, then GRANT EXECUTE only to the roles that call it. Trigger
--     functions get no grant at all: PostgreSQL checks EXECUTE only at CREATE TRIGGER, not when
--     the trigger fires.

-- The audit trigger and the name-word trigger: fired by the database, called by no one.
ALTER FUNCTION audit_trigger_function() SET search_path = pg_catalog, public, pg_temp;
REVOKE ALL ON FUNCTION audit_trigger_function() FROM PUBLIC;
ALTER FUNCTION patient_name_words_sync() SET search_path = pg_catalog, public, pg_temp;
REVOKE ALL ON FUNCTION patient_name_words_sync() FROM PUBLIC;

-- Called by the app.
ALTER FUNCTION find_name_words(TEXT, TEXT, INTEGER) SET search_path = pg_catalog, public, pg_temp;
REVOKE ALL ON FUNCTION find_name_words(TEXT, TEXT, INTEGER) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_name_words(TEXT, TEXT, INTEGER) TO clinic_app;
ALTER FUNCTION app_credential_fingerprints(UUID[]) SET search_path = pg_catalog, public, pg_temp;
REVOKE ALL ON FUNCTION app_credential_fingerprints(UUID[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_credential_fingerprints(UUID[]) TO clinic_app;

-- The medical-history functions belong to clinic_phi (009). Altering them needs the privileges of
-- that role (membership with INHERIT): a superuser has them; a non-superuser owner that created
-- clinic_phi holds ADMIN OPTION on it (PostgreSQL 16+) or CREATEROLE (15), and so may take them.
-- On 16+ an existing membership keeps its options unless the GRANT names them.
DO $$
BEGIN
    IF NOT pg_catalog.pg_has_role(current_user, 'clinic_phi', 'USAGE') THEN
        IF pg_catalog.current_setting('server_version_num')::INTEGER >= 160000 THEN
            EXECUTE pg_catalog.format('GRANT clinic_phi TO %I WITH INHERIT TRUE', current_user);
        ELSE
            EXECUTE pg_catalog.format('GRANT clinic_phi TO %I', current_user);
        END IF;
    END IF;
END;
$$;
ALTER FUNCTION read_medical_history(INTEGER, TEXT) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION write_medical_history(INTEGER, TEXT, TEXT) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION rotate_medical_history_key(TEXT, TEXT) SET search_path = pg_catalog, public, pg_temp;
REVOKE ALL ON FUNCTION read_medical_history(INTEGER, TEXT), write_medical_history(INTEGER, TEXT, TEXT),
    rotate_medical_history_key(TEXT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION read_medical_history(INTEGER, TEXT), write_medical_history(INTEGER, TEXT, TEXT),
    rotate_medical_history_key(TEXT, TEXT) TO clinic_app;

-- Sign-in and session events. The caller states what happened; who it happened to comes from the
-- server:
--   * SIGNINFAIL and LOCKED happen before anyone is signed in (or on a locked window that another
--     user tries): the user is the one the typed email belongs to (none for an unknown email).
--   * every other event needs a user context, and its user is app.current_user_id — except
--     RESET_CODE, which is about the user it was issued for and names the context user as issuer.
--   * p_user_id is the caller's belief; if given, it must agree, else the call is refused (an app
--     bug or a forgery, either way not something to write into the audit trail).
--   * the email recorded is the user's own; the typed one only for an unknown email.
--   * the detail holds only the keys each event defines, as short scalars; email, terminal, user
--     and the database login are written by the function and cannot be overridden.
CREATE OR REPLACE FUNCTION record_auth_event(p_event TEXT, p_user_id UUID, p_email TEXT, p_terminal TEXT, p_detail JSONB DEFAULT '{}'::jsonb)
RETURNS VOID
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    context_user UUID := NULLIF(pg_catalog.current_setting('app.current_user_id', true), '')::UUID;
    detail JSONB := COALESCE(p_detail, '{}'::jsonb);
    allowed_keys TEXT[];
    subject UUID;
    subject_email TEXT;
BEGIN
    allowed_keys := CASE p_event
        WHEN 'SIGNINFAIL' THEN ARRAY['reason']
        WHEN 'LOCKED'     THEN ARRAY['minutes']
        WHEN 'SIGNIN'     THEN ARRAY['offline', 'signed_in_at']
        WHEN 'SWITCH'     THEN ARRAY['from']
        WHEN 'RESET_CODE' THEN ARRAY['issued_by']
        WHEN 'CHART_OPEN' THEN ARRAY['patient_id']
        WHEN 'SIGNOUT' THEN '{}' WHEN 'IDLE_LOCK' THEN '{}' WHEN 'UNLOCK' THEN '{}'
        WHEN 'PW_CHANGE' THEN '{}' WHEN 'PW_RESET' THEN '{}'
    END;
    IF allowed_keys IS NULL THEN
        RAISE EXCEPTION 'unknown auth event %', p_event USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.jsonb_typeof(detail) <> 'object' OR pg_catalog.octet_length(detail::TEXT) > 1000
       OR EXISTS (SELECT 1 FROM pg_catalog.jsonb_each(detail) AS d
                  WHERE NOT (d.key = ANY (allowed_keys))
                     OR pg_catalog.jsonb_typeof(d.value) NOT IN ('string', 'number', 'boolean')
                     OR pg_catalog.length(d.value #>> '{}') > 255) THEN
        RAISE EXCEPTION 'auth event % does not take this detail', p_event USING ERRCODE = '22023';
    END IF;

    IF p_event IN ('SIGNINFAIL', 'LOCKED') THEN
        SELECT u.user_id, u.email INTO subject, subject_email
          FROM public.users u WHERE u.email = pg_catalog.lower(p_email);
        subject_email := COALESCE(subject_email, pg_catalog.left(p_email, 255));
    ELSE
        IF context_user IS NULL THEN
            RAISE EXCEPTION 'auth event % needs a user context', p_event USING ERRCODE = '42501';
        END IF;
        subject := CASE WHEN p_event = 'RESET_CODE' THEN p_user_id ELSE context_user END;
        SELECT u.email INTO subject_email FROM public.users u WHERE u.user_id = subject;
        IF subject_email IS NULL THEN
            RAISE EXCEPTION 'auth event % names no known user', p_event USING ERRCODE = '42501';
        END IF;
        IF p_event = 'RESET_CODE' THEN
            detail := detail || pg_catalog.jsonb_build_object('issued_by', context_user);
        END IF;
    END IF;
    IF p_user_id IS NOT NULL AND p_user_id IS DISTINCT FROM subject THEN
        RAISE EXCEPTION 'auth event % is not about that user', p_event USING ERRCODE = '42501';
    END IF;

    INSERT INTO public.audit_log (table_name, operation, user_id, new_values)
    VALUES (
        CASE WHEN p_event = 'CHART_OPEN' THEN 'patients' ELSE 'auth' END,
        p_event,
        subject,
        detail || pg_catalog.jsonb_build_object(
            'email', subject_email,
            'terminal', pg_catalog.left(p_terminal, 100),
            'db_login', session_user::TEXT)
    );
END;
$$;
REVOKE ALL ON FUNCTION record_auth_event(TEXT, UUID, TEXT, TEXT, JSONB) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION record_auth_event(TEXT, UUID, TEXT, TEXT, JSONB) TO clinic_app;

-- The audit trail's ids come only from the owner's inserts (trigger and record_auth_event): the app
-- may not draw or reset them (006 granted it every sequence). Ids still have gaps where a
-- transaction rolled back, so a gap is not evidence of a deleted row; order by log_id, not count.
REVOKE ALL ON SEQUENCE audit_log_log_id_seq FROM clinic_app;
REVOKE ALL ON SEQUENCE audit_log_log_id_seq FROM PUBLIC;
