-- 037 A doctor reads every order of a patient she can see, not only those of her department's doctors
-- (issues 10 and 11). The prescribing checks (duplicate therapy, interactions, maximum daily dose) read
-- the patient's other active orders under row level security, and a ward doctor's chart lists the
-- patient's medicines: both missed orders written by a doctor of another department (a surgeon's
-- analgesia on a medical patient), so a duplicate or an interaction could pass unseen until the
-- pharmacist's verification. "A patient she can see" is patients' own row level security, as for
-- medical records, observations and administrations (033).
--
-- Why two more changes come with it: patients_pharmacist_read asks app_patient_has_prescription, which
-- read prescriptions with the caller's rights, so for a user who is both doctor and pharmacist the new
-- doctor rule (prescriptions -> patients) and the pharmacist rule (patients -> prescriptions) would call
-- each other row by row without end.
-- 1. app_patient_has_prescription runs as clinic_pharmacy_scope, a NOLOGIN role that can read three
--    columns of prescriptions. The only policy that applies to it is the pharmacist's read (open orders
--    and those of the last 90 days), so its answer is the pharmacist rule, written once, and it never
--    reaches patients (rls-matrix.test.ts keeps it the only one: a new PUBLIC read policy on
--    prescriptions would widen this answer). The only policy that calls it requires the pharmacist role.
-- 2. Hence prescriptions' other read policies (administrator, doctor, nurse) name clinic_app (every
--    login of the app) and the owner instead of PUBLIC: their rules are unchanged.
-- Same for every other user and role mix; a user who is pharmacist and clinician no longer sees a
-- patient only because a colleague wrote him an order more than 90 days ago and it is closed (they see
-- the patients in their care through patients_clinical_read, as before).
-- ALTER POLICY keeps each policy's name and command; the runner's lock_timeout bounds each lock.

-- Two steps every function-owning NOLOGIN role takes (016, 026, 031 and 035 wrote them out; later
-- migrations CALL these). Procedures of the owner, for the owner: nobody else may run them.
CREATE PROCEDURE migration_create_function_role(p_role TEXT)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = p_role) THEN
        EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS', p_role);
    END IF;
    -- The owner maintains the role's functions (a CREATEROLE owner on 16+ holds what it creates without using it).
    IF NOT pg_catalog.pg_has_role(current_user, p_role, 'USAGE') THEN
        IF pg_catalog.current_setting('server_version_num')::INTEGER >= 160000 THEN
            EXECUTE pg_catalog.format('GRANT %I TO %I WITH INHERIT TRUE, SET TRUE', p_role, current_user);
        ELSE
            EXECUTE pg_catalog.format('GRANT %I TO %I', p_role, current_user);
        END IF;
    END IF;
    EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA public TO %I', p_role);
END;
$$;
REVOKE ALL ON PROCEDURE migration_create_function_role(TEXT) FROM PUBLIC;

-- Hands a function to its role in one step, so the brief CREATE on public (ALTER ... OWNER needs it)
-- never outlives the statement.
CREATE PROCEDURE migration_give_function(p_function REGPROCEDURE, p_role TEXT)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE pg_catalog.format('GRANT CREATE ON SCHEMA public TO %I', p_role);
    EXECUTE pg_catalog.format('ALTER FUNCTION %s OWNER TO %I', p_function, p_role);
    EXECUTE pg_catalog.format('REVOKE CREATE ON SCHEMA public FROM %I', p_role);
END;
$$;
REVOKE ALL ON PROCEDURE migration_give_function(REGPROCEDURE, TEXT) FROM PUBLIC;

CALL migration_create_function_role('clinic_pharmacy_scope');
-- What the function reads, and what the pharmacist's read policy evaluates.
GRANT SELECT (patient_id, status, prescribed_at) ON prescriptions TO clinic_pharmacy_scope;
GRANT EXECUTE ON FUNCTION app_roles() TO clinic_pharmacy_scope;

-- The table's owner is named too: it arranges rows as the administrator (seed, repairs), and a
-- CREATEROLE owner on PostgreSQL 16+ holds clinic_app without inheriting it.
DO $$
DECLARE
    owner_name TEXT := (SELECT pg_catalog.pg_get_userbyid(c.relowner) FROM pg_catalog.pg_class c WHERE c.oid = 'public.prescriptions'::pg_catalog.regclass);
BEGIN
    EXECUTE pg_catalog.format('ALTER POLICY prescriptions_admin ON public.prescriptions TO clinic_app, %I', owner_name);
    EXECUTE pg_catalog.format('ALTER POLICY prescriptions_nurse_read ON public.prescriptions TO clinic_app, %I', owner_name);
    EXECUTE pg_catalog.format('ALTER POLICY prescriptions_doctor_read ON public.prescriptions TO clinic_app, %I', owner_name);
END;
$$;
ALTER POLICY prescriptions_doctor_read ON prescriptions
    USING (( SELECT ('doctor'::text = ANY (app_roles())))
        AND ((doctor_id = ANY (( SELECT app_colleague_doctor_ids())::integer[]))
            OR (EXISTS ( SELECT 1 FROM public.patients vp WHERE (vp.patient_id = prescriptions.patient_id)))));

-- PL/pgSQL keeps its plan for the session (one role always runs it, so the plan is never re-made).
CREATE OR REPLACE FUNCTION app_patient_has_prescription(p_patient_id INTEGER) RETURNS BOOLEAN
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM public.prescriptions p WHERE p.patient_id = p_patient_id);
END;
$$;
-- Executable by the roles whose reads of patients evaluate patients_pharmacist_read.
REVOKE ALL ON FUNCTION app_patient_has_prescription(INTEGER) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_patient_has_prescription(INTEGER) TO clinic_app, clinic_phi, clinic_admission;
CALL migration_give_function('app_patient_has_prescription(integer)', 'clinic_pharmacy_scope');
-- clinic_admission read prescriptions only through this function's caller's rights.
REVOKE SELECT (patient_id) ON prescriptions FROM clinic_admission;
-- Nor did clinic_phi (009 gave it the tables patients' policies read, prescriptions for this function).
REVOKE SELECT ON prescriptions FROM clinic_phi;
