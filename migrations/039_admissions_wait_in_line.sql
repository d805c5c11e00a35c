-- 039 Two nurses admitting into the same bed at once: one wins, the other is told the bed was taken
-- and which beds are free. The exclusion constraints decide the race, but PostgreSQL checks an
-- exclusion constraint after inserting the row, so two inserts that land together each find the
-- other's row and wait for each other (execIndexing.c says so); the deadlock detector then cancels one
-- after deadlock_timeout (a second), with "deadlock detected" in the server log instead of the bed
-- conflict. The loaded CI run met it in 1 of 12 races. Both placing functions now queue on the bed's
-- room and then on the patient (that order everywhere, so the queues cannot form a cycle) before they
-- read whether the bed is free: the second nurse waits for the first to commit, sees the bed taken and
-- gets the ordinary refusal. Other clients inserting directly still meet only the constraints.
-- Lock keys (two-integer form, class first): 39 = a room, 40 = a patient. 024 and 025 use 24 and 25.
-- A placement waits for another only the milliseconds that one takes; lock_timeout 3s bounds the wait
-- if something holds such a lock for long (any session of the app's role may take an advisory lock),
-- so a nurse gets "try again" instead of a screen that hangs.

CREATE OR REPLACE FUNCTION admit_patient(p_patient_id INTEGER, p_room_id INTEGER, p_bed_number INTEGER, p_notes TEXT) RETURNS INTEGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
SET lock_timeout = '3s'
AS $$
DECLARE
    new_id INTEGER;
BEGIN
    PERFORM public.ward_require_assignable_room(p_room_id);
    PERFORM pg_catalog.pg_advisory_xact_lock(39, p_room_id);
    PERFORM pg_catalog.pg_advisory_xact_lock(40, p_patient_id);
    PERFORM public.ward_require_free_bed(p_room_id, p_bed_number);
    -- The exclusion constraints still decide for every other client (and a patient already in another bed).
    INSERT INTO public.room_assignments (room_id, patient_id, bed_number, assigned_by, notes)
    VALUES (p_room_id, p_patient_id, p_bed_number, public.app_current_user_id(), p_notes)
    RETURNING assignment_id INTO new_id;
    RETURN new_id;
END;
$$;

CREATE OR REPLACE FUNCTION transfer_patient(p_assignment_id INTEGER, p_room_id INTEGER, p_bed_number INTEGER) RETURNS INTEGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
SET lock_timeout = '3s'
AS $$
DECLARE
    stay public.room_assignments%ROWTYPE;
    new_id INTEGER;
BEGIN
    SELECT * INTO stay FROM public.room_assignments ra WHERE ra.assignment_id = p_assignment_id AND ra.discharged_at IS NULL FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no open assignment %', p_assignment_id USING ERRCODE = 'WRD02';
    END IF;
    -- She moves only a patient from her own department's beds; the new bed may be any ward's.
    PERFORM public.ward_require_assignable_room(stay.room_id);
    IF stay.room_id = p_room_id AND stay.bed_number = p_bed_number THEN
        RAISE EXCEPTION 'the patient is already in this bed' USING ERRCODE = 'WRD03';
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(39, p_room_id);
    PERFORM pg_catalog.pg_advisory_xact_lock(40, stay.patient_id);
    PERFORM public.ward_require_free_bed(p_room_id, p_bed_number);
    UPDATE public.room_assignments SET discharged_at = pg_catalog.now(), discharge_destination = 'transfer'
    WHERE assignment_id = stay.assignment_id;
    INSERT INTO public.cleaning_service (room_id, bed_number, cleaning_type, notes)
    VALUES (stay.room_id, stay.bed_number, 'Discharge', 'Bed vacated by a transfer');
    INSERT INTO public.room_assignments (room_id, patient_id, bed_number, assigned_by, notes, admission_started_at, transferred_from_id)
    VALUES (p_room_id, stay.patient_id, p_bed_number, public.app_current_user_id(), stay.notes,
            COALESCE(stay.admission_started_at, stay.assigned_at), stay.assignment_id)
    RETURNING assignment_id INTO new_id;
    RETURN new_id;
END;
$$;
