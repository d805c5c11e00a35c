-- 031 Finding the patient to admit (issue 11): a nurse sees only patients in her care (016), so a
-- patient arriving from ED or the front desk was not found in Ward → Admit, though admit_patient (022)
-- accepts any registered patient.
--
-- find_patients_to_admit is the narrow path: the caller holds rooms.assign (checked inside), at most
-- 20 rows, and only what admission needs (number, names, birth date, sex, already in a bed). It runs as
-- clinic_admission, a NOLOGIN role that can read only those patients columns (no contact, address or
-- history: the privilege layer refuses them even if the function were changed) and open bed stays,
-- through policies written for that role alone. Every search is written to the audit trail (who,
-- what text, which patients came back). Matching is the front desk's (010): name prefixes in either
-- order ("last, first" only that way round), birth date, #number; prefixes are ranges on the
-- "C"-collated search columns, so 010's indexes answer them.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'clinic_admission') THEN
        CREATE ROLE clinic_admission NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
    -- The owner maintains clinic_admission's function (as 026 does for clinic_monitor).
    IF NOT pg_catalog.pg_has_role(current_user, 'clinic_admission', 'USAGE') THEN
        IF pg_catalog.current_setting('server_version_num')::INTEGER >= 160000 THEN
            EXECUTE pg_catalog.format('GRANT clinic_admission TO %I WITH INHERIT TRUE, SET TRUE', current_user);
        ELSE
            EXECUTE pg_catalog.format('GRANT clinic_admission TO %I', current_user);
        END IF;
    END IF;
END;
$$;
GRANT USAGE ON SCHEMA public TO clinic_admission;
-- What app_has_permission reads (the gate inside the function), and where the search is recorded.
GRANT SELECT (user_id, is_active) ON users TO clinic_admission;
GRANT SELECT ON user_roles, roles, role_permissions, permissions TO clinic_admission;
GRANT EXECUTE ON FUNCTION app_current_user_id(), app_has_permission(TEXT) TO clinic_admission;
GRANT INSERT ON audit_log TO clinic_admission;
GRANT USAGE ON SEQUENCE audit_log_log_id_seq TO clinic_admission;
-- Only the columns a search for admission shows or matches on.
GRANT SELECT (patient_id, first_name, last_name, date_of_birth, gender, search_last, search_first) ON patients TO clinic_admission;
GRANT SELECT (patient_id, discharged_at) ON room_assignments TO clinic_admission;
-- What evaluating the other (PUBLIC) policies of those two tables reads, as 009 gives clinic_phi.
GRANT SELECT (user_id, department_id, is_active) ON staff TO clinic_admission;
GRANT SELECT (doctor_id, user_id, department_id, is_active) ON doctors TO clinic_admission;
GRANT SELECT (room_id, department_id) ON rooms TO clinic_admission;
GRANT SELECT (patient_id, appointment_date) ON appointments TO clinic_admission;
GRANT SELECT (patient_id) ON prescriptions TO clinic_admission;
-- Policies for the function alone: the app role's view of patients is unchanged, and the owner (a
-- member of clinic_admission, which a TO clause alone would let in) still sees no patient without a context.
CREATE POLICY patients_admission_search ON patients FOR SELECT TO clinic_admission
    USING ((SELECT current_user = 'clinic_admission'));
CREATE POLICY room_assignments_admission_search ON room_assignments FOR SELECT TO clinic_admission
    USING ((SELECT current_user = 'clinic_admission'));

CREATE FUNCTION find_patients_to_admit(p_query TEXT)
RETURNS TABLE (patient_id INTEGER, first_name VARCHAR, last_name VARCHAR, date_of_birth DATE, gender VARCHAR, admitted BOOLEAN)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    q TEXT := pg_catalog.btrim(COALESCE(p_query, ''));
    wanted_dob DATE;
    words TEXT[];
    a TEXT;
    b TEXT;
    -- Past any character a name holds: ">= a AND < a || top" is "starts with a" in "C" order.
    top CONSTANT TEXT := pg_catalog.chr(1114111);
    found_ids INTEGER[];
BEGIN
    IF public.app_current_user_id() IS NULL OR NOT public.app_has_permission('rooms.assign') THEN
        RAISE EXCEPTION 'finding patients to admit needs rooms.assign' USING ERRCODE = '42501';
    END IF;
    IF pg_catalog.length(q) NOT BETWEEN 2 AND 100 THEN
        RAISE EXCEPTION 'type 2 to 100 characters' USING ERRCODE = '22023';
    END IF;

    IF q ~ '^#?[0-9]{1,9}$' THEN
        found_ids := ARRAY(SELECT p.patient_id FROM public.patients p WHERE p.patient_id = pg_catalog.ltrim(q, '#')::INTEGER);
    ELSIF q ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
        BEGIN
            wanted_dob := q::DATE;
        EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
            RAISE EXCEPTION 'no such date: %', q USING ERRCODE = '22023';
        END;
        found_ids := ARRAY(SELECT p.patient_id FROM public.patients p WHERE p.date_of_birth = wanted_dob
                           ORDER BY p.search_last, p.search_first, p.patient_id LIMIT 20);
    ELSE
        words := ARRAY(SELECT w FROM pg_catalog.regexp_split_to_table(pg_catalog.lower(q), '[\s,]+') AS w WHERE w <> '');
        a := words[1];
        b := COALESCE(words[2], '');
        -- One index walk per reading (010's indexes): last then first, and (without a comma) first then last.
        found_ids := ARRAY(
            SELECT u.patient_id FROM (
                (SELECT p.patient_id, p.search_last AS l, p.search_first AS f FROM public.patients p
                 WHERE p.search_last >= a AND p.search_last < a || top AND p.search_first >= b AND p.search_first < b || top
                 ORDER BY p.search_last, p.search_first LIMIT 20)
                UNION
                (SELECT p.patient_id, p.search_last, p.search_first FROM public.patients p
                 WHERE pg_catalog.strpos(q, ',') = 0
                   AND p.search_first >= a AND p.search_first < a || top AND p.search_last >= b AND p.search_last < b || top
                 ORDER BY p.search_first, p.search_last LIMIT 20)
            ) u ORDER BY u.l, u.f, u.patient_id LIMIT 20);
    END IF;

    INSERT INTO public.audit_log (table_name, operation, user_id, new_values)
    VALUES ('patients', 'ADMIT_FIND', public.app_current_user_id(),
            pg_catalog.jsonb_build_object('query', q, 'found', pg_catalog.cardinality(found_ids),
                                          'patient_ids', pg_catalog.to_jsonb(found_ids), 'db_login', session_user::pg_catalog.text));

    RETURN QUERY
    SELECT p.patient_id, p.first_name, p.last_name, p.date_of_birth, p.gender::pg_catalog.varchar,
           EXISTS (SELECT 1 FROM public.room_assignments ra WHERE ra.patient_id = p.patient_id AND ra.discharged_at IS NULL)
    FROM public.patients p
    WHERE p.patient_id = ANY (found_ids)
    ORDER BY p.search_last, p.search_first, p.date_of_birth, p.patient_id;
END;
$$;

REVOKE ALL ON FUNCTION find_patients_to_admit(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_patients_to_admit(TEXT) TO clinic_app;
-- Handed to clinic_admission in one statement, so the brief CREATE on public never outlives it.
DO $$
BEGIN
    GRANT CREATE ON SCHEMA public TO clinic_admission;
    ALTER FUNCTION find_patients_to_admit(TEXT) OWNER TO clinic_admission;
    REVOKE CREATE ON SCHEMA public FROM clinic_admission;
END;
$$;
