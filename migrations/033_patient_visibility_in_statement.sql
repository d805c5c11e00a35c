-- 033 Patient visibility checked inside the statement, not in a function call per row (speed of issues
-- 10 and 11). Policies asked app_can_see_patient(patient_id) and app_patient_in_my_care(...): PL/pgSQL
-- functions that run their own query, with its own role checks, once for every row a policy looks at
-- (0.28 ms a row in bench:ward). The same tests written as EXISTS inside the policies let the planner run
-- each role check once per statement and probe an index per row (the bed board's main statement: 55 ms
-- before, 11 ms with these policies and a per-patient allergy probe).
-- The rules are the same: "a patient row this user can see" is still read through patients' own row
-- level security, and a clinician's care still means their department, an appointment in the last 90
-- days or an open stay, each read through its table's row level security.
-- Left as functions on purpose: room_assignments' policies (patients' policy reads room_assignments,
-- so an EXISTS on patients there would be a policy loop) and app_patient_has_prescription (prescriptions'
-- policies now read patients); a later tidy-up that inlines these too makes a policy loop. And the
-- nurse's read of prescriptions (app_patient_in_my_beds): inline, its sub-plans would be set up in every
-- call of app_patient_has_prescription, which pharmacists' patient reads make per row (the verification
-- queue went from 39 to 47-70 ms p95 in bench:pharmacy). No policy calls app_patient_in_my_care any
-- more; it stays (migrations only go forward) with the same rule as here, and a change to who sees a
-- patient is a change to these policies.
-- ALTER POLICY keeps every policy's name, command and roles; the runner's lock_timeout bounds each lock.

ALTER POLICY patients_clinical_read ON patients
    USING ((( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text])) AND (
        department_id = ANY (( SELECT app_my_department_ids())::integer[])
        OR EXISTS ( SELECT 1 FROM public.appointments a WHERE a.patient_id = patients.patient_id AND a.appointment_date >= CURRENT_DATE - 90)
        OR EXISTS ( SELECT 1 FROM public.room_assignments ra WHERE ra.patient_id = patients.patient_id AND ra.discharged_at IS NULL))));

ALTER POLICY ambulance_log_dispatch_insert ON ambulance_log
    WITH CHECK ((( SELECT app_has_permission('ambulance.dispatch'::text) AS app_has_permission) AND ((patient_id IS NULL) OR (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = ambulance_log.patient_id)))));
ALTER POLICY ambulance_log_dispatch_update ON ambulance_log
    USING (( SELECT app_has_permission('ambulance.dispatch'::text) AS app_has_permission))
    WITH CHECK ((( SELECT app_has_permission('ambulance.dispatch'::text) AS app_has_permission) AND ((patient_id IS NULL) OR (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = ambulance_log.patient_id)))));
ALTER POLICY billing_pharmacist_dispense ON billing
    WITH CHECK ((( SELECT ('pharmacist'::text = ANY (app_roles()))) AND (created_by = app_current_user_id()) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = billing.patient_id))));
ALTER POLICY medical_records_author_update ON medical_records
    USING ((( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text])) AND (created_by = app_current_user_id())))
    WITH CHECK ((( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text])) AND (created_by = app_current_user_id()) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = medical_records.patient_id))));
ALTER POLICY medical_records_clinical_read ON medical_records
    USING ((( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text])) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = medical_records.patient_id))));
ALTER POLICY medical_records_clinical_write ON medical_records
    WITH CHECK ((( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text])) AND (created_by = app_current_user_id()) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = medical_records.patient_id))));
ALTER POLICY medication_administrations_clinical_read ON medication_administrations
    USING ((( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text])) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = medication_administrations.patient_id))));
ALTER POLICY medication_administrations_clinical_record ON medication_administrations
    WITH CHECK ((( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text])) AND (recorded_by = app_current_user_id()) AND (NOT entered_in_error) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = medication_administrations.patient_id))));
ALTER POLICY observations_clinical_error ON observations
    USING ((( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text])) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = observations.patient_id))))
    WITH CHECK ((( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text])) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = observations.patient_id)) AND entered_in_error AND (entered_in_error_by = app_current_user_id())));
ALTER POLICY observations_clinical_read ON observations
    USING ((( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text])) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = observations.patient_id))));
ALTER POLICY observations_clinical_record ON observations
    WITH CHECK ((( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text])) AND (recorded_by = app_current_user_id()) AND (NOT entered_in_error) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = observations.patient_id))));
ALTER POLICY patient_allergies_clinical_error ON patient_allergies
    USING ((( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text, 'pharmacist'::text])) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = patient_allergies.patient_id))))
    WITH CHECK ((( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text, 'pharmacist'::text])) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = patient_allergies.patient_id)) AND entered_in_error AND (entered_in_error_by = app_current_user_id())));
ALTER POLICY patient_allergies_clinical_read ON patient_allergies
    USING ((( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text, 'pharmacist'::text])) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = patient_allergies.patient_id))));
ALTER POLICY patient_allergies_clinical_record ON patient_allergies
    WITH CHECK ((( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text, 'pharmacist'::text])) AND (recorded_by = app_current_user_id()) AND (NOT entered_in_error) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = patient_allergies.patient_id))));
ALTER POLICY patient_weights_clinical_read ON patient_weights
    USING ((( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text, 'pharmacist'::text])) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = patient_weights.patient_id))));
ALTER POLICY patient_weights_clinical_record ON patient_weights
    WITH CHECK ((( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text])) AND (recorded_by = app_current_user_id()) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = patient_weights.patient_id))));
ALTER POLICY pharmacy_clinical_read_dispenses ON pharmacy
    USING ((( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text])) AND ((transaction_type)::text = 'Dispense'::text) AND (patient_id IS NOT NULL) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = pharmacy.patient_id))));
ALTER POLICY prescriptions_doctor_prescribe ON prescriptions
    WITH CHECK ((( SELECT ('doctor'::text = ANY (app_roles()))) AND (doctor_id IN ( SELECT unnest(app_my_doctor_ids()) AS unnest)) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = prescriptions.patient_id))));
ALTER POLICY spo2_scale_decisions_clinical_read ON spo2_scale_decisions
    USING ((( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text])) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = spo2_scale_decisions.patient_id))));
ALTER POLICY spo2_scale_decisions_doctor_decide ON spo2_scale_decisions
    WITH CHECK ((( SELECT ('doctor'::text = ANY (app_roles()))) AND (decided_by = app_current_user_id()) AND (EXISTS ( SELECT 1 FROM public.patients vp WHERE vp.patient_id = spo2_scale_decisions.patient_id))));
