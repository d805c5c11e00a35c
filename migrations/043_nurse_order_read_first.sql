-- 043 A nurse's read of orders asks its likeliest question first, and plans it once (issue 11's speed).
-- Same rows for everyone: only how the same rule is computed changes.
-- 1. "Which patients are in my beds?" is planned once per connection, not at every call. 034 wrote
--    app_my_bed_patient_ids() in SQL with a SET clause: such a function is never inlined, and
--    PostgreSQL 15 parses and plans its query, with room_assignments' policies, at every call (108 µs
--    a call as the demo nurse; the prescriptions policy calls it in every bedside scan). As PL/pgSQL
--    the same query keeps its plan for the connection: 58 µs a call.
--    Same query, with the invoker's rights (it sees only the stays room_assignments' policies show the
--    caller), the same search_path, STABLE, the same grant. Replacing a function's body takes no lock.
-- 2. Every bedside scan reads the patient's orders twice (the scan's read, and the dose guard's check of
--    the order), and each read asked a nurse "pharmacist?" first: PostgreSQL ORs a table's permissive
--    policies in reverse order of their names (041). prescriptions_nurse_read is renamed
--    prescriptions_ward_nurse_read, which sorts after prescriptions_pharmacist_read and so is tried first.
-- 3. Within it, "in a bed of mine" comes before "written by a doctor of my departments": at the bedside
--    the patient is in the nurse's beds, so her colleagues' doctor ids need not be looked up at all.
--    Each side is computed once per statement either way, so no read gets slower.
-- ALTER POLICY keeps the policy's command and roles (clinic_app and the owner, 037); it takes a short
-- ACCESS EXCLUSIVE lock on prescriptions, which the runner's lock_timeout bounds.
CREATE OR REPLACE FUNCTION app_my_bed_patient_ids() RETURNS INTEGER[]
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    ids pg_catalog.int4[];
BEGIN
    SELECT COALESCE(pg_catalog.array_agg(ra.patient_id), '{}') INTO ids FROM public.room_assignments ra WHERE ra.discharged_at IS NULL;
    RETURN ids;
END;
$$;

ALTER POLICY prescriptions_nurse_read ON prescriptions RENAME TO prescriptions_ward_nurse_read;
ALTER POLICY prescriptions_ward_nurse_read ON prescriptions
    USING (( SELECT ('nurse'::text = ANY (app_roles())))
        AND ((patient_id = ANY (( SELECT app_my_bed_patient_ids())::integer[]))
             OR (doctor_id = ANY (( SELECT app_colleague_doctor_ids())::integer[]))));
