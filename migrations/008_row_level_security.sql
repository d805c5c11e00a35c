-- 008 Row level security: the database guards patient data even if app code is wrong.
--
-- Who may see what (the intent, which the policies below implement and
-- tests/integration/rls-matrix.test.ts proves role by role):
--   admin       everything.
--   front_desk  patient demographics (never medical_history: see 009), appointments and bills;
--               no medical records, prescriptions, bed assignments or dispensing.
--   doctor      patients in their care: of their department/ward, or with an appointment with their
--               department in the last 90 days or later, or in a bed of their department; the records of
--               those patients; their department's appointments and prescriptions. Writes records and
--               prescriptions (as themselves) and may register and update patients.
--   nurse       as doctor for reading; writes records; assigns beds in their department's rooms.
--   pharmacist  open prescriptions (and those of the last 90 days), the patients they belong to,
--               and the dispensing ledger.
--   anyone with no user context (app.current_user_id unset): nothing at all (default deny).
--
-- The acting user comes only from app.current_user_id, set per transaction by the app's one door.
-- Policies read other tables in one direction only, so no policy can recurse:
--   users/roles/staff/doctors/rooms (no RLS) <- appointments, room_assignments, prescriptions
--   <- patients <- medical_records, billing.
-- FORCE applies the policies to the table owner too; only superusers bypass them.
--
-- Speed: a policy is planned with every query, so policies stay small — role checks are initplans
-- evaluated once per query, and anything that reads another protected table is a PL/pgSQL function
-- (planned once per connection, opaque to the planner) rather than an EXISTS the planner would expand
-- policy by policy. Cheap checks come first in each OR, which PostgreSQL evaluates left to right.

CREATE OR REPLACE FUNCTION app_current_user_id() RETURNS UUID
LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('app.current_user_id', true), '')::UUID $$;

-- The current user's active roles (none without a context, or for a deactivated user).
CREATE OR REPLACE FUNCTION app_roles() RETURNS TEXT[]
LANGUAGE plpgsql STABLE AS
$$
DECLARE
    roles TEXT[];
BEGIN
    SELECT COALESCE(array_agg(r.role_name::TEXT), '{}') INTO roles
    FROM user_roles ur
    JOIN roles r ON r.role_id = ur.role_id
    JOIN users u ON u.user_id = ur.user_id
    WHERE ur.user_id = app_current_user_id() AND r.is_active AND u.is_active;
    RETURN roles;
END;
$$;

CREATE OR REPLACE FUNCTION app_has_role(p_role TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS
$$ SELECT p_role = ANY (app_roles()) $$;

-- The departments/wards the current user works in (as staff, or as a doctor).
CREATE OR REPLACE FUNCTION app_my_department_ids() RETURNS INTEGER[]
LANGUAGE plpgsql STABLE AS
$$
DECLARE
    ids INTEGER[];
BEGIN
    SELECT COALESCE(array_agg(DISTINCT department_id), '{}') INTO ids FROM (
        SELECT department_id FROM staff WHERE user_id = app_current_user_id() AND is_active
        UNION
        SELECT department_id FROM doctors WHERE user_id = app_current_user_id() AND is_active
    ) mine WHERE department_id IS NOT NULL;
    RETURN ids;
END;
$$;

CREATE OR REPLACE FUNCTION app_my_doctor_ids() RETURNS INTEGER[]
LANGUAGE plpgsql STABLE AS
$$
DECLARE
    ids INTEGER[];
BEGIN
    SELECT COALESCE(array_agg(doctor_id), '{}') INTO ids FROM doctors WHERE user_id = app_current_user_id();
    RETURN ids;
END;
$$;

-- Doctors of my departments, and me.
CREATE OR REPLACE FUNCTION app_colleague_doctor_ids() RETURNS INTEGER[]
LANGUAGE plpgsql STABLE AS
$$
DECLARE
    ids INTEGER[];
BEGIN
    SELECT COALESCE(array_agg(doctor_id), '{}') INTO ids FROM doctors
    WHERE user_id = app_current_user_id() OR department_id = ANY (app_my_department_ids());
    RETURN ids;
END;
$$;

CREATE OR REPLACE FUNCTION app_my_room_ids() RETURNS INTEGER[]
LANGUAGE plpgsql STABLE AS
$$
DECLARE
    ids INTEGER[];
BEGIN
    SELECT COALESCE(array_agg(room_id), '{}') INTO ids FROM rooms WHERE department_id = ANY (app_my_department_ids());
    RETURN ids;
END;
$$;

-- The checks that read other protected tables. They run with the caller's rights, so those
-- tables' own policies apply inside them.
CREATE OR REPLACE FUNCTION app_patient_in_my_care(p_patient_id INTEGER, p_department_id INTEGER) RETURNS BOOLEAN
LANGUAGE plpgsql STABLE AS
$$
BEGIN
    RETURN p_department_id = ANY (app_my_department_ids())
        OR EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p_patient_id AND a.appointment_date >= CURRENT_DATE - 90)
        OR EXISTS (SELECT 1 FROM room_assignments ra WHERE ra.patient_id = p_patient_id AND ra.discharged_at IS NULL);
END;
$$;

CREATE OR REPLACE FUNCTION app_patient_in_my_beds(p_patient_id INTEGER) RETURNS BOOLEAN
LANGUAGE plpgsql STABLE AS
$$
BEGIN
    RETURN EXISTS (SELECT 1 FROM room_assignments ra WHERE ra.patient_id = p_patient_id AND ra.discharged_at IS NULL);
END;
$$;

CREATE OR REPLACE FUNCTION app_patient_has_prescription(p_patient_id INTEGER) RETURNS BOOLEAN
LANGUAGE plpgsql STABLE AS
$$
BEGIN
    RETURN EXISTS (SELECT 1 FROM prescriptions p WHERE p.patient_id = p_patient_id);
END;
$$;

CREATE OR REPLACE FUNCTION app_can_see_patient(p_patient_id INTEGER) RETURNS BOOLEAN
LANGUAGE plpgsql STABLE AS
$$
BEGIN
    RETURN EXISTS (SELECT 1 FROM patients p WHERE p.patient_id = p_patient_id);
END;
$$;

GRANT EXECUTE ON FUNCTION app_current_user_id(), app_roles(), app_has_role(TEXT), app_my_department_ids(),
    app_my_doctor_ids(), app_colleague_doctor_ids(), app_my_room_ids(), app_patient_in_my_care(INTEGER, INTEGER),
    app_patient_in_my_beds(INTEGER), app_patient_has_prescription(INTEGER), app_can_see_patient(INTEGER) TO clinic_app;

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['patients', 'medical_records', 'prescriptions', 'appointments',
                             'room_assignments', 'billing', 'pharmacy', 'ambulance_log', 'audit_log'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        -- Administrators see and change everything (each "(SELECT …)" is evaluated once per query).
        IF t <> 'audit_log' THEN
            EXECUTE format('CREATE POLICY %I ON %I FOR ALL USING ((SELECT ''admin'' = ANY (app_roles()))) WITH CHECK ((SELECT ''admin'' = ANY (app_roles())))', t || '_admin', t);
        END IF;
    END LOOP;
END;
$$;

-- appointments ----------------------------------------------------------------------------------
CREATE POLICY appointments_front_desk_read ON appointments FOR SELECT USING ((SELECT 'front_desk' = ANY (app_roles())));
CREATE POLICY appointments_front_desk_book ON appointments FOR INSERT WITH CHECK ((SELECT 'front_desk' = ANY (app_roles())));
CREATE POLICY appointments_front_desk_change ON appointments FOR UPDATE
    USING ((SELECT 'front_desk' = ANY (app_roles()))) WITH CHECK ((SELECT 'front_desk' = ANY (app_roles())));
CREATE POLICY appointments_clinical_read ON appointments FOR SELECT USING (
    (SELECT app_roles() && ARRAY['doctor', 'nurse'])
    AND (doctor_id IN (SELECT unnest(app_colleague_doctor_ids())) OR department_id IN (SELECT unnest(app_my_department_ids()))));

-- room_assignments ------------------------------------------------------------------------------
CREATE POLICY room_assignments_clinical_read ON room_assignments FOR SELECT USING (
    (SELECT app_roles() && ARRAY['doctor', 'nurse']) AND room_id IN (SELECT unnest(app_my_room_ids())));
CREATE POLICY room_assignments_nurse_assign ON room_assignments FOR INSERT WITH CHECK (
    (SELECT 'nurse' = ANY (app_roles())) AND room_id IN (SELECT unnest(app_my_room_ids())));
CREATE POLICY room_assignments_nurse_move ON room_assignments FOR UPDATE
    USING ((SELECT 'nurse' = ANY (app_roles())) AND room_id IN (SELECT unnest(app_my_room_ids())))
    WITH CHECK ((SELECT 'nurse' = ANY (app_roles())) AND room_id IN (SELECT unnest(app_my_room_ids())));

-- prescriptions ---------------------------------------------------------------------------------
CREATE POLICY prescriptions_pharmacist_read ON prescriptions FOR SELECT USING (
    (SELECT 'pharmacist' = ANY (app_roles()))
    AND (status IN ('Active', 'PartiallyDispensed') OR prescribed_at > now() - INTERVAL '90 days'));
CREATE POLICY prescriptions_pharmacist_dispense ON prescriptions FOR UPDATE
    USING ((SELECT 'pharmacist' = ANY (app_roles())) AND status IN ('Active', 'PartiallyDispensed'))
    WITH CHECK ((SELECT 'pharmacist' = ANY (app_roles())) AND status IN ('PartiallyDispensed', 'Dispensed'));
CREATE POLICY prescriptions_doctor_read ON prescriptions FOR SELECT USING (
    (SELECT 'doctor' = ANY (app_roles())) AND doctor_id IN (SELECT unnest(app_colleague_doctor_ids())));
CREATE POLICY prescriptions_doctor_prescribe ON prescriptions FOR INSERT WITH CHECK (
    (SELECT 'doctor' = ANY (app_roles())) AND doctor_id IN (SELECT unnest(app_my_doctor_ids())));
CREATE POLICY prescriptions_doctor_change ON prescriptions FOR UPDATE
    USING ((SELECT 'doctor' = ANY (app_roles())) AND doctor_id IN (SELECT unnest(app_my_doctor_ids())))
    WITH CHECK ((SELECT 'doctor' = ANY (app_roles())) AND doctor_id IN (SELECT unnest(app_my_doctor_ids())));
CREATE POLICY prescriptions_nurse_read ON prescriptions FOR SELECT USING (
    (SELECT 'nurse' = ANY (app_roles()))
    AND (doctor_id IN (SELECT unnest(app_colleague_doctor_ids()))
         OR app_patient_in_my_beds(patient_id)));

-- patients --------------------------------------------------------------------------------------
CREATE POLICY patients_front_desk_read ON patients FOR SELECT USING ((SELECT 'front_desk' = ANY (app_roles())));
CREATE POLICY patients_front_desk_register ON patients FOR INSERT WITH CHECK ((SELECT 'front_desk' = ANY (app_roles())));
CREATE POLICY patients_front_desk_update ON patients FOR UPDATE
    USING ((SELECT 'front_desk' = ANY (app_roles()))) WITH CHECK ((SELECT 'front_desk' = ANY (app_roles())));
CREATE POLICY patients_clinical_read ON patients FOR SELECT USING (
    (SELECT app_roles() && ARRAY['doctor', 'nurse'])
    AND app_patient_in_my_care(patient_id, department_id));
CREATE POLICY patients_doctor_register ON patients FOR INSERT WITH CHECK (
    (SELECT 'doctor' = ANY (app_roles())) AND department_id IN (SELECT unnest(app_my_department_ids())));
CREATE POLICY patients_doctor_update ON patients FOR UPDATE
    USING ((SELECT 'doctor' = ANY (app_roles())) AND department_id IN (SELECT unnest(app_my_department_ids())))
    WITH CHECK ((SELECT 'doctor' = ANY (app_roles())) AND department_id IN (SELECT unnest(app_my_department_ids())));
CREATE POLICY patients_pharmacist_read ON patients FOR SELECT USING (
    (SELECT 'pharmacist' = ANY (app_roles()))
    AND app_patient_has_prescription(patient_id));

-- medical_records: only for clinicians who can see the patient (the subquery is itself RLS-filtered).
CREATE POLICY medical_records_clinical_read ON medical_records FOR SELECT USING (
    (SELECT app_roles() && ARRAY['doctor', 'nurse'])
    AND app_can_see_patient(patient_id));
CREATE POLICY medical_records_clinical_write ON medical_records FOR INSERT WITH CHECK (
    (SELECT app_roles() && ARRAY['doctor', 'nurse'])
    AND created_by = app_current_user_id()
    AND app_can_see_patient(patient_id));
CREATE POLICY medical_records_author_update ON medical_records FOR UPDATE
    USING ((SELECT app_roles() && ARRAY['doctor', 'nurse']) AND created_by = app_current_user_id())
    WITH CHECK (created_by = app_current_user_id());

-- billing: front desk takes payments.
CREATE POLICY billing_front_desk_read ON billing FOR SELECT USING ((SELECT 'front_desk' = ANY (app_roles())));
CREATE POLICY billing_front_desk_write ON billing FOR INSERT WITH CHECK ((SELECT 'front_desk' = ANY (app_roles())));
CREATE POLICY billing_front_desk_update ON billing FOR UPDATE
    USING ((SELECT 'front_desk' = ANY (app_roles()))) WITH CHECK ((SELECT 'front_desk' = ANY (app_roles())));

-- pharmacy: the dispensing ledger is append-only for pharmacists.
CREATE POLICY pharmacy_pharmacist_read ON pharmacy FOR SELECT USING ((SELECT 'pharmacist' = ANY (app_roles())));
CREATE POLICY pharmacy_pharmacist_record ON pharmacy FOR INSERT WITH CHECK (
    (SELECT 'pharmacist' = ANY (app_roles())) AND performed_by = app_current_user_id());

-- audit_log holds old and new values of patient rows: administrators read it; the audit trigger and
-- record_auth_event (running as the owner) are the only writers, as the app role has no INSERT grant.
CREATE POLICY audit_log_admin_read ON audit_log FOR SELECT USING ((SELECT 'admin' = ANY (app_roles())));
CREATE POLICY audit_log_append ON audit_log FOR INSERT WITH CHECK (true);
