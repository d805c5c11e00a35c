-- 034 Policies ask for the caller's sets (departments, rooms, doctors, patients in their beds) once per
-- statement, and never while a statement is being planned (speed of issues 10 and 11).
-- 1. prescriptions_nurse_read called app_patient_in_my_beds(patient_id) for every order it looked at: a
--    PL/pgSQL query on room_assignments whose own policies compute the nurse's rooms, departments and
--    roles again each time (0.11 ms a row; one patient's 44 orders took 7 ms in bench:ward). It now
--    compares with app_my_bed_patient_ids(), computed once.
-- 2. "x IN (SELECT unnest(app_my_room_ids()))" made the planner run the function to guess how many rows
--    unnest gives (array_unnest_support), in every plan of every statement whose policies reach it: 28
--    calls of app_my_department_ids a scan, most of them while planning. "x = ANY ((SELECT ...))" is
--    the same test (NULLs included) and its array is computed once, at run time.
-- The rules are the same; app_patient_in_my_beds stays (migrations only go forward) and no policy calls
-- it any more. ALTER POLICY keeps every policy's name, command and roles; the runner's lock_timeout
-- bounds each lock.

-- Invoker's rights on purpose: it sees only the stays room_assignments' policies show the caller.
CREATE FUNCTION app_my_bed_patient_ids() RETURNS INTEGER[]
LANGUAGE sql STABLE
SET search_path = pg_catalog, public, pg_temp
AS $$
    SELECT COALESCE(pg_catalog.array_agg(ra.patient_id), '{}') FROM public.room_assignments ra WHERE ra.discharged_at IS NULL
$$;
GRANT EXECUTE ON FUNCTION app_my_bed_patient_ids() TO clinic_app;

ALTER POLICY appointments_clinical_read ON appointments
    USING (( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text])) AND ((doctor_id = ANY (( SELECT app_colleague_doctor_ids())::integer[])) OR (department_id = ANY (( SELECT app_my_department_ids())::integer[]))));
ALTER POLICY cleaning_service_manage_insert ON cleaning_service
    WITH CHECK (( SELECT app_has_permission('settings.manage'::text) AS app_has_permission) OR (( SELECT app_has_permission('rooms.assign'::text) AS app_has_permission) AND (room_id = ANY (( SELECT app_my_room_ids())::integer[]))));
ALTER POLICY cleaning_service_manage_update ON cleaning_service
    USING (( SELECT app_has_permission('settings.manage'::text) AS app_has_permission) OR (( SELECT app_has_permission('rooms.assign'::text) AS app_has_permission) AND (room_id = ANY (( SELECT app_my_room_ids())::integer[]))))
    WITH CHECK (( SELECT app_has_permission('settings.manage'::text) AS app_has_permission) OR (( SELECT app_has_permission('rooms.assign'::text) AS app_has_permission) AND (room_id = ANY (( SELECT app_my_room_ids())::integer[]))));
ALTER POLICY patients_doctor_register ON patients
    WITH CHECK (( SELECT ('doctor'::text = ANY (app_roles()))) AND (department_id = ANY (( SELECT app_my_department_ids())::integer[])));
ALTER POLICY patients_doctor_update ON patients
    USING (( SELECT ('doctor'::text = ANY (app_roles()))) AND (department_id = ANY (( SELECT app_my_department_ids())::integer[])))
    WITH CHECK (( SELECT ('doctor'::text = ANY (app_roles()))) AND (department_id = ANY (( SELECT app_my_department_ids())::integer[])));
ALTER POLICY prescriptions_doctor_change ON prescriptions
    USING (( SELECT ('doctor'::text = ANY (app_roles()))) AND (doctor_id = ANY (( SELECT app_my_doctor_ids())::integer[])))
    WITH CHECK (( SELECT ('doctor'::text = ANY (app_roles()))) AND (doctor_id = ANY (( SELECT app_my_doctor_ids())::integer[])));
ALTER POLICY prescriptions_doctor_prescribe ON prescriptions
    WITH CHECK (( SELECT ('doctor'::text = ANY (app_roles()))) AND (doctor_id = ANY (( SELECT app_my_doctor_ids())::integer[])) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE (vp.patient_id = prescriptions.patient_id))));
ALTER POLICY prescriptions_doctor_read ON prescriptions
    USING (( SELECT ('doctor'::text = ANY (app_roles()))) AND (doctor_id = ANY (( SELECT app_colleague_doctor_ids())::integer[])));
ALTER POLICY prescriptions_nurse_read ON prescriptions
    USING (( SELECT ('nurse'::text = ANY (app_roles()))) AND ((doctor_id = ANY (( SELECT app_colleague_doctor_ids())::integer[])) OR (patient_id = ANY (( SELECT app_my_bed_patient_ids())::integer[]))));
ALTER POLICY room_assignments_clinical_read ON room_assignments
    USING (( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text])) AND (room_id = ANY (( SELECT app_my_room_ids())::integer[])));
ALTER POLICY room_assignments_nurse_assign ON room_assignments
    WITH CHECK (( SELECT ('nurse'::text = ANY (app_roles()))) AND (room_id = ANY (( SELECT app_my_room_ids())::integer[])) AND app_can_see_patient(patient_id));
ALTER POLICY room_assignments_nurse_move ON room_assignments
    USING (( SELECT ('nurse'::text = ANY (app_roles()))) AND (room_id = ANY (( SELECT app_my_room_ids())::integer[])))
    WITH CHECK (( SELECT ('nurse'::text = ANY (app_roles()))) AND (room_id = ANY (( SELECT app_my_room_ids())::integer[])) AND app_can_see_patient(patient_id));
