-- 051 "Which patients are in my beds?" reads the open stays of the caller's own rooms, not every open
-- stay in the hospital (issue 11's speed, and one rule instead of two).
-- app_my_bed_patient_ids() answers the nurse's read of orders (prescriptions_ward_nurse_read): a bedside
-- scan asks it twice (the scan's read, and the dose guard's check of the order). It read every open stay
-- and let room_assignments' policies drop the ones outside the nurse's rooms, row by row: 842 stays read
-- for 26 kept in bench:ward's 1,000-bed hospital, and the policies' OR of roles kept the index on rooms
-- from being used. Its stays are now asked for by room, through idx_room_assignments_open_stay.
-- Same answer for a nurse (room_assignments shows a nurse the stays of her rooms, and nothing more).
-- Narrower for a nurse who also holds a role that reads every stay (billing clerk): the nurse's order
-- read followed that role's reach and showed her the orders of every bedded patient in the hospital.
-- "My beds" are her rooms' beds, whatever else she may read. An administrator reads every order through
-- prescriptions_admin, as before.
-- The caller's rights, search_path, STABLE and grant are unchanged; replacing a function's body takes no lock.
CREATE OR REPLACE FUNCTION app_my_bed_patient_ids() RETURNS INTEGER[]
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    ids pg_catalog.int4[];
BEGIN
    SELECT COALESCE(pg_catalog.array_agg(ra.patient_id), '{}') INTO ids
    FROM public.room_assignments ra
    WHERE ra.discharged_at IS NULL AND ra.room_id = ANY (public.app_my_room_ids());
    RETURN ids;
END;
$$;
