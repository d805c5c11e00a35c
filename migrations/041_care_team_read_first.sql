-- 041 A nurse's or doctor's right to read a patient is asked first, and its likeliest reason first
-- (issue 11's speed). Same rows for everyone: only the order of OR-ed tests changes.
-- 1. PostgreSQL ORs a table's permissive policies in reverse order of their names, so for a nurse every
--    check of a patient asked "pharmacist?", "billing or dispatch?" and "front desk?" (a role lookup
--    each) before her own rule: about 15 wasted lookups a bedside scan. patients_clinical_read is
--    renamed patients_read_in_care, which sorts after the others and so is tried first.
-- 2. Within it, "in a bed of mine" (one index probe, 040) comes before "seen in the last 90 days"
--    (appointments and their own policies), since a ward's patients are in its beds.
-- ALTER POLICY takes a short ACCESS EXCLUSIVE lock on patients; the runner's lock_timeout bounds it.
ALTER POLICY patients_clinical_read ON patients RENAME TO patients_read_in_care;
ALTER POLICY patients_read_in_care ON patients
    USING (( SELECT (app_roles() && ARRAY['doctor'::text, 'nurse'::text])) AND ((department_id = ANY (( SELECT app_my_department_ids() AS app_my_department_ids)::integer[])) OR (EXISTS ( SELECT 1
   FROM public.room_assignments ra
  WHERE ((ra.patient_id = patients.patient_id) AND (ra.discharged_at IS NULL)))) OR (EXISTS ( SELECT 1
   FROM public.appointments a
  WHERE ((a.patient_id = patients.patient_id) AND (a.appointment_date >= (CURRENT_DATE - 90)))))));
