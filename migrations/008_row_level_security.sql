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

CREATE OR REPLACE FUNCTION app_current_user_id() RETURNS UUID
LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('app.current_user_id', true), '')::UUID $$;

CREATE OR REPLACE FUNCTION app_has_role(p_role TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS
$$
    SELECT EXISTS (
        SELECT 1 FROM user_roles ur
        JOIN roles r ON r.role_id = ur.role_id
        JOIN users u ON u.user_id = ur.user_id
        WHERE ur.user_id = app_current_user_id() AND r.role_name = p_role AND r.is_active AND u.is_active
    )
$$;

-- The departments/wards the current user works in (as staff, or as a doctor).
CREATE OR REPLACE FUNCTION app_my_department_ids() RETURNS INTEGER[]
LANGUAGE sql STABLE AS
$$
    SELECT COALESCE(array_agg(DISTINCT department_id), '{}') FROM (
        SELECT department_id FROM staff WHERE user_id = app_current_user_id() AND is_active
        UNION
        SELECT department_id FROM doctors WHERE user_id = app_current_user_id() AND is_active
    ) mine WHERE department_id IS NOT NULL
$$;

CREATE OR REPLACE FUNCTION app_my_doctor_ids() RETURNS INTEGER[]
LANGUAGE sql STABLE AS
$$ SELECT COALESCE(array_agg(doctor_id), '{}') FROM doctors WHERE user_id = app_current_user_id() $$;

-- Doctors of my departments, and me.
CREATE OR REPLACE FUNCTION app_colleague_doctor_ids() RETURNS INTEGER[]
LANGUAGE sql STABLE AS
$$
    SELECT COALESCE(array_agg(doctor_id), '{}') FROM doctors
    WHERE user_id = app_current_user_id() OR department_id = ANY (app_my_department_ids())
$$;

CREATE OR REPLACE FUNCTION app_my_room_ids() RETURNS INTEGER[]
LANGUAGE sql STABLE AS
$$ SELECT COALESCE(array_agg(room_id), '{}') FROM rooms WHERE department_id = ANY (app_my_department_ids()) $$;

GRANT EXECUTE ON FUNCTION app_current_user_id(), app_has_role(TEXT), app_my_department_ids(),
    app_my_doctor_ids(), app_colleague_doctor_ids(), app_my_room_ids() TO clinic_app;

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['patients', 'medical_records', 'prescriptions', 'appointments',
                             'room_assignments', 'billing', 'pharmacy', 'ambulance_log', 'audit_log'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        -- Administrators see and change everything (each "(SELECT …)" is evaluated once per query).
        IF t <> 'audit_log' THEN
            EXECUTE format('CREATE POLICY %I ON %I FOR ALL USING ((SELECT app_has_role(''admin''))) WITH CHECK ((SELECT app_has_role(''admin'')))', t || '_admin', t);
        END IF;
    END LOOP;
END;
$$;

-- appointments ----------------------------------------------------------------------------------
CREATE POLICY appointments_front_desk_read ON appointments FOR SELECT USING ((SELECT app_has_role('front_desk')));
CREATE POLICY appointments_front_desk_book ON appointments FOR INSERT WITH CHECK ((SELECT app_has_role('front_desk')));
CREATE POLICY appointments_front_desk_change ON appointments FOR UPDATE
    USING ((SELECT app_has_role('front_desk'))) WITH CHECK ((SELECT app_has_role('front_desk')));
CREATE POLICY appointments_clinical_read ON appointments FOR SELECT USING (
    (SELECT app_has_role('doctor') OR app_has_role('nurse'))
    AND (doctor_id IN (SELECT unnest(app_colleague_doctor_ids())) OR department_id IN (SELECT unnest(app_my_department_ids()))));

-- room_assignments ------------------------------------------------------------------------------
CREATE POLICY room_assignments_clinical_read ON room_assignments FOR SELECT USING (
    (SELECT app_has_role('doctor') OR app_has_role('nurse')) AND room_id IN (SELECT unnest(app_my_room_ids())));
CREATE POLICY room_assignments_nurse_assign ON room_assignments FOR INSERT WITH CHECK (
    (SELECT app_has_role('nurse')) AND room_id IN (SELECT unnest(app_my_room_ids())));
CREATE POLICY room_assignments_nurse_move ON room_assignments FOR UPDATE
    USING ((SELECT app_has_role('nurse')) AND room_id IN (SELECT unnest(app_my_room_ids())))
    WITH CHECK ((SELECT app_has_role('nurse')) AND room_id IN (SELECT unnest(app_my_room_ids())));

-- prescriptions ---------------------------------------------------------------------------------
CREATE POLICY prescriptions_pharmacist_read ON prescriptions FOR SELECT USING (
    (SELECT app_has_role('pharmacist'))
    AND (status IN ('Active', 'PartiallyDispensed') OR prescribed_at > now() - INTERVAL '90 days'));
CREATE POLICY prescriptions_pharmacist_dispense ON prescriptions FOR UPDATE
    USING ((SELECT app_has_role('pharmacist')) AND status IN ('Active', 'PartiallyDispensed'))
    WITH CHECK ((SELECT app_has_role('pharmacist')) AND status IN ('PartiallyDispensed', 'Dispensed'));
CREATE POLICY prescriptions_doctor_read ON prescriptions FOR SELECT USING (
    (SELECT app_has_role('doctor')) AND doctor_id IN (SELECT unnest(app_colleague_doctor_ids())));
CREATE POLICY prescriptions_doctor_prescribe ON prescriptions FOR INSERT WITH CHECK (
    (SELECT app_has_role('doctor')) AND doctor_id IN (SELECT unnest(app_my_doctor_ids())));
CREATE POLICY prescriptions_doctor_change ON prescriptions FOR UPDATE
    USING ((SELECT app_has_role('doctor')) AND doctor_id IN (SELECT unnest(app_my_doctor_ids())))
    WITH CHECK ((SELECT app_has_role('doctor')) AND doctor_id IN (SELECT unnest(app_my_doctor_ids())));
CREATE POLICY prescriptions_nurse_read ON prescriptions FOR SELECT USING (
    (SELECT app_has_role('nurse'))
    AND (doctor_id IN (SELECT unnest(app_colleague_doctor_ids()))
         OR EXISTS (SELECT 1 FROM room_assignments ra WHERE ra.patient_id = prescriptions.patient_id AND ra.discharged_at IS NULL)));

-- patients --------------------------------------------------------------------------------------
CREATE POLICY patients_front_desk_read ON patients FOR SELECT USING ((SELECT app_has_role('front_desk')));
CREATE POLICY patients_front_desk_register ON patients FOR INSERT WITH CHECK ((SELECT app_has_role('front_desk')));
CREATE POLICY patients_front_desk_update ON patients FOR UPDATE
    USING ((SELECT app_has_role('front_desk'))) WITH CHECK ((SELECT app_has_role('front_desk')));
CREATE POLICY patients_clinical_read ON patients FOR SELECT USING (
    (SELECT app_has_role('doctor') OR app_has_role('nurse'))
    AND (department_id IN (SELECT unnest(app_my_department_ids()))
         OR EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = patients.patient_id AND a.appointment_date >= CURRENT_DATE - 90)
         OR EXISTS (SELECT 1 FROM room_assignments ra WHERE ra.patient_id = patients.patient_id AND ra.discharged_at IS NULL)));
CREATE POLICY patients_doctor_register ON patients FOR INSERT WITH CHECK (
    (SELECT app_has_role('doctor')) AND department_id IN (SELECT unnest(app_my_department_ids())));
CREATE POLICY patients_doctor_update ON patients FOR UPDATE
    USING ((SELECT app_has_role('doctor')) AND department_id IN (SELECT unnest(app_my_department_ids())))
    WITH CHECK ((SELECT app_has_role('doctor')) AND department_id IN (SELECT unnest(app_my_department_ids())));
CREATE POLICY patients_pharmacist_read ON patients FOR SELECT USING (
    (SELECT app_has_role('pharmacist'))
    AND EXISTS (SELECT 1 FROM prescriptions p WHERE p.patient_id = patients.patient_id));

-- medical_records: only for clinicians who can see the patient (the subquery is itself RLS-filtered).
CREATE POLICY medical_records_clinical_read ON medical_records FOR SELECT USING (
    (SELECT app_has_role('doctor') OR app_has_role('nurse'))
    AND EXISTS (SELECT 1 FROM patients p WHERE p.patient_id = medical_records.patient_id));
CREATE POLICY medical_records_clinical_write ON medical_records FOR INSERT WITH CHECK (
    (SELECT app_has_role('doctor') OR app_has_role('nurse'))
    AND created_by = app_current_user_id()
    AND EXISTS (SELECT 1 FROM patients p WHERE p.patient_id = medical_records.patient_id));
CREATE POLICY medical_records_author_update ON medical_records FOR UPDATE
    USING ((SELECT app_has_role('doctor') OR app_has_role('nurse')) AND created_by = app_current_user_id())
    WITH CHECK (created_by = app_current_user_id());

-- billing: front desk takes payments.
CREATE POLICY billing_front_desk_read ON billing FOR SELECT USING ((SELECT app_has_role('front_desk')));
CREATE POLICY billing_front_desk_write ON billing FOR INSERT WITH CHECK ((SELECT app_has_role('front_desk')));
CREATE POLICY billing_front_desk_update ON billing FOR UPDATE
    USING ((SELECT app_has_role('front_desk'))) WITH CHECK ((SELECT app_has_role('front_desk')));

-- pharmacy: the dispensing ledger is append-only for pharmacists.
CREATE POLICY pharmacy_pharmacist_read ON pharmacy FOR SELECT USING ((SELECT app_has_role('pharmacist')));
CREATE POLICY pharmacy_pharmacist_record ON pharmacy FOR INSERT WITH CHECK (
    (SELECT app_has_role('pharmacist')) AND performed_by = app_current_user_id());

-- audit_log holds old and new values of patient rows: administrators read it; the audit trigger and
-- record_auth_event (running as the owner) are the only writers, as the app role has no INSERT grant.
CREATE POLICY audit_log_admin_read ON audit_log FOR SELECT USING ((SELECT app_has_role('admin')));
CREATE POLICY audit_log_append ON audit_log FOR INSERT WITH CHECK (true);
