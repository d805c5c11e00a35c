-- 022 Ward, first slice (issue 11): bed states, admit / transfer / discharge, observations with NEWS2.
--
-- Bed state (ward_bed_states): occupied (an open room_assignments row) > closed / maintenance (the
-- room's status) > to clean (a Scheduled or InProgress cleaning_service task for the room or that bed,
-- or a room marked 'Cleaning') > free. The exclusion constraints of 001 still decide who holds a bed.
--
-- Admission and transfer go through two SECURITY DEFINER functions: 016 lets a nurse give a bed only
-- to a patient she can already see, and a newly registered patient is in nobody's care. admit_patient
-- is that narrow path: the caller holds rooms.assign, the bed is in her own department (any for an
-- administrator) and free, and the patient exists (the foreign key decides, so the function reads no
-- patient row); the open assignment then brings the patient into her care (app_patient_in_my_care).
-- transfer_patient closes the old assignment and opens the new one in one statement sequence, so a
-- failure anywhere leaves the patient in the old bed; the sending nurse may move her patient to a free
-- bed of any ward (the receiving ward then cares for them). Both run as clinic_owner, which FORCEd RLS
-- binds too: owner policies below let it read and write room_assignments (it could switch RLS off
-- anyway); the checks live in the functions, which only clinic_app may execute.
-- Discharge and completing a cleaning task need no definer: 008/016's policies already allow them.
-- Observations are append-only: a correction is a new row naming the old one, which is marked
-- entered-in-error in the same transaction (only those three columns are updatable, and only to "in error").

-- Discharge and transfer details on the guide's room_assignments (catalog-only column additions).
ALTER TABLE room_assignments ADD COLUMN discharge_reason VARCHAR(200);
ALTER TABLE room_assignments ADD COLUMN discharge_destination VARCHAR(30);
-- The start of the stay a transfer continues (NULL: this row's assigned_at), for "days since admission".
ALTER TABLE room_assignments ADD COLUMN admission_started_at TIMESTAMPTZ;
ALTER TABLE room_assignments ADD COLUMN transferred_from_id INTEGER;
-- NOT VALID: enforced for every new row at once, no scan of a full table under lock; existing rows
-- hold NULLs, and a later migration validates them.
ALTER TABLE room_assignments ADD CONSTRAINT room_assignments_discharge_destination_known CHECK (
    discharge_destination IN ('home', 'home-with-support', 'care-home', 'other-hospital', 'transfer', 'died', 'other')) NOT VALID;
ALTER TABLE room_assignments ADD CONSTRAINT room_assignments_transferred_from_fk
    FOREIGN KEY (transferred_from_id) REFERENCES room_assignments (assignment_id) NOT VALID;

-- A cleaning task for one bed of a room (NULL: the whole room, as the guide's rows are).
ALTER TABLE cleaning_service ADD COLUMN bed_number SMALLINT;
ALTER TABLE cleaning_service ADD CONSTRAINT cleaning_service_bed_number_positive CHECK (bed_number > 0) NOT VALID;

-- Which SpO2 scale a patient is scored on: scale 2 only when a doctor has recorded a target of 88–92 %
-- (hypercapnic respiratory failure); append-only, the latest row decides, none means scale 1.
CREATE TABLE spo2_scale_decisions (
    decision_id SERIAL PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (patient_id),
    spo2_scale SMALLINT NOT NULL CHECK (spo2_scale IN (1, 2)),
    reason VARCHAR(300) NOT NULL CHECK (pg_catalog.length(pg_catalog.btrim(reason)) >= 5),
    decided_by UUID NOT NULL REFERENCES users (user_id),
    decided_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_spo2_scale_decisions_patient ON spo2_scale_decisions (patient_id, decided_at DESC);

-- Vital signs, each set scored with NEWS2 by main (main/ward/news2.ts) and stored with its score.
-- The refusal limits are main/ward/vitals-validation.ts's, so no client stores an impossible value.
CREATE TABLE observations (
    observation_id SERIAL PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (patient_id),
    assignment_id INTEGER REFERENCES room_assignments (assignment_id),
    taken_at TIMESTAMPTZ NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    recorded_by UUID NOT NULL REFERENCES users (user_id),
    respiration_rate SMALLINT NOT NULL CHECK (respiration_rate BETWEEN 1 AND 80),
    spo2 SMALLINT NOT NULL CHECK (spo2 BETWEEN 40 AND 100),
    spo2_scale SMALLINT NOT NULL DEFAULT 1 CHECK (spo2_scale IN (1, 2)),
    on_oxygen BOOLEAN NOT NULL,
    systolic_bp SMALLINT NOT NULL CHECK (systolic_bp BETWEEN 30 AND 300),
    pulse SMALLINT NOT NULL CHECK (pulse BETWEEN 20 AND 300),
    consciousness CHAR(1) NOT NULL CHECK (consciousness IN ('A', 'C', 'V', 'P', 'U')),
    temperature NUMERIC(3, 1) NOT NULL CHECK (temperature BETWEEN 25 AND 45),
    news2_score SMALLINT NOT NULL CHECK (news2_score BETWEEN 0 AND 20),
    news2_response VARCHAR(12) NOT NULL CHECK (news2_response IN ('low', 'low-medium', 'medium', 'high')),
    news2_single_three BOOLEAN NOT NULL,
    flags TEXT[] NOT NULL DEFAULT '{}',
    -- A correction names the row it replaces; each row is corrected at most once.
    corrects_observation_id INTEGER UNIQUE REFERENCES observations (observation_id),
    entered_in_error BOOLEAN NOT NULL DEFAULT false,
    entered_in_error_by UUID REFERENCES users (user_id),
    entered_in_error_at TIMESTAMPTZ,
    CHECK (entered_in_error = (entered_in_error_by IS NOT NULL)),
    -- A reading is not from the future (five minutes of clock skew allowed).
    CHECK (taken_at <= recorded_at + INTERVAL '5 minutes')
);
CREATE INDEX idx_observations_patient ON observations (patient_id, taken_at DESC);

GRANT SELECT, INSERT ON observations, spo2_scale_decisions TO clinic_app;
GRANT UPDATE (entered_in_error, entered_in_error_by, entered_in_error_at) ON observations TO clinic_app;
GRANT USAGE, SELECT ON SEQUENCE observations_observation_id_seq, spo2_scale_decisions_decision_id_seq TO clinic_app;

DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['observations', 'spo2_scale_decisions'] LOOP
        EXECUTE pg_catalog.format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE pg_catalog.format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION audit_trigger_function()', t || '_audit', t);
        EXECUTE pg_catalog.format('CREATE POLICY %I ON %I FOR ALL USING ((SELECT ''admin'' = ANY (app_roles()))) WITH CHECK ((SELECT ''admin'' = ANY (app_roles())))', t || '_admin', t);
        EXECUTE pg_catalog.format('CREATE POLICY %I ON %I FOR SELECT USING ((SELECT app_roles() && ARRAY[''doctor'', ''nurse'']) AND app_can_see_patient(patient_id))', t || '_clinical_read', t);
    END LOOP;
END;
$$;

-- Doctors and nurses record observations, as themselves, for patients they can see; they mark one
-- entered-in-error (never back) under the same visibility.
CREATE POLICY observations_clinical_record ON observations FOR INSERT WITH CHECK (
    (SELECT app_roles() && ARRAY['doctor', 'nurse']) AND recorded_by = app_current_user_id()
    AND NOT entered_in_error AND app_can_see_patient(patient_id));
CREATE POLICY observations_clinical_error ON observations FOR UPDATE
    USING ((SELECT app_roles() && ARRAY['doctor', 'nurse']) AND app_can_see_patient(patient_id))
    WITH CHECK ((SELECT app_roles() && ARRAY['doctor', 'nurse']) AND app_can_see_patient(patient_id)
                AND entered_in_error AND entered_in_error_by = app_current_user_id());
-- Only doctors choose the scale, as themselves, for patients in their care.
CREATE POLICY spo2_scale_decisions_doctor_decide ON spo2_scale_decisions FOR INSERT WITH CHECK (
    (SELECT 'doctor' = ANY (app_roles())) AND decided_by = app_current_user_id() AND app_can_see_patient(patient_id));

-- The owner (and so the definers below) reads and writes bed assignments; it could turn RLS off anyway.
CREATE POLICY room_assignments_owner_read ON room_assignments FOR SELECT USING ((SELECT app_holds_owner_rights('public.room_assignments')));
CREATE POLICY room_assignments_owner_insert ON room_assignments FOR INSERT WITH CHECK ((SELECT app_holds_owner_rights('public.room_assignments')));
CREATE POLICY room_assignments_owner_update ON room_assignments FOR UPDATE
    USING ((SELECT app_holds_owner_rights('public.room_assignments'))) WITH CHECK ((SELECT app_holds_owner_rights('public.room_assignments')));

-- Every bed of every room (of one department, or all) with its state; no patient data, so anyone
-- holding rooms.read (the front desk too) sees true occupancy and a census.
CREATE FUNCTION ward_bed_states(p_department_id INTEGER)
RETURNS TABLE (room_id INTEGER, room_number VARCHAR, department_id INTEGER, floor SMALLINT, room_type VARCHAR,
               bed_number INTEGER, state TEXT, assignment_id INTEGER, cleaning_id INTEGER)
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF NOT public.app_has_permission('rooms.read') THEN
        RAISE EXCEPTION 'seeing beds needs rooms.read' USING ERRCODE = '42501';
    END IF;
    RETURN QUERY
    SELECT r.room_id, r.room_number, r.department_id, r.floor, rt.type_name, b.bed::INTEGER,
           CASE WHEN ra.assignment_id IS NOT NULL THEN 'occupied'
                WHEN r.status = 'Closed' THEN 'closed'
                WHEN r.status = 'Maintenance' THEN 'maintenance'
                WHEN cs.cleaning_id IS NOT NULL OR r.status = 'Cleaning' THEN 'to-clean'
                ELSE 'free' END,
           ra.assignment_id, cs.cleaning_id
    FROM public.rooms r
    LEFT JOIN public.room_types rt ON rt.room_type_id = r.room_type_id
    CROSS JOIN LATERAL pg_catalog.generate_series(1, r.bed_count::INTEGER) AS b(bed)
    LEFT JOIN public.room_assignments ra ON ra.room_id = r.room_id AND ra.bed_number = b.bed AND ra.discharged_at IS NULL
    LEFT JOIN LATERAL (
        SELECT c.cleaning_id FROM public.cleaning_service c
        WHERE c.room_id = r.room_id AND (c.bed_number IS NULL OR c.bed_number = b.bed) AND c.status IN ('Scheduled', 'InProgress')
        ORDER BY c.scheduled_at LIMIT 1) cs ON true
    WHERE p_department_id IS NULL OR r.department_id = p_department_id
    ORDER BY r.room_number, b.bed;
END;
$$;

-- The caller may place patients in this room: rooms.assign, and the room is her department's (or admin).
CREATE FUNCTION ward_require_assignable_room(p_room_id INTEGER) RETURNS VOID
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF public.app_current_user_id() IS NULL OR NOT public.app_has_permission('rooms.assign') THEN
        RAISE EXCEPTION 'placing patients in beds needs rooms.assign' USING ERRCODE = '42501';
    END IF;
    IF NOT (public.app_has_role('admin') OR p_room_id = ANY (public.app_my_room_ids())) THEN
        RAISE EXCEPTION 'room % is not in your department', p_room_id USING ERRCODE = '42501';
    END IF;
END;
$$;

-- The bed must exist and be free: WRD02 no such bed, WRD01 not free (its state in the detail).
CREATE FUNCTION ward_require_free_bed(p_room_id INTEGER, p_bed_number INTEGER) RETURNS VOID
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    bed_state TEXT;
BEGIN
    SELECT s.state INTO bed_state
    FROM public.ward_bed_states((SELECT r.department_id FROM public.rooms r WHERE r.room_id = p_room_id)) s
    WHERE s.room_id = p_room_id AND s.bed_number = p_bed_number;
    IF bed_state IS NULL THEN
        RAISE EXCEPTION 'no bed % in room %', p_bed_number, p_room_id USING ERRCODE = 'WRD02';
    END IF;
    IF bed_state <> 'free' THEN
        RAISE EXCEPTION 'bed % in room % is %', p_bed_number, p_room_id, bed_state USING ERRCODE = 'WRD01', DETAIL = bed_state;
    END IF;
END;
$$;

CREATE FUNCTION admit_patient(p_patient_id INTEGER, p_room_id INTEGER, p_bed_number INTEGER, p_notes TEXT) RETURNS INTEGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    new_id INTEGER;
BEGIN
    PERFORM public.ward_require_assignable_room(p_room_id);
    PERFORM public.ward_require_free_bed(p_room_id, p_bed_number);
    -- The exclusion constraints decide a race for the bed (or a patient already in another bed).
    INSERT INTO public.room_assignments (room_id, patient_id, bed_number, assigned_by, notes)
    VALUES (p_room_id, p_patient_id, p_bed_number, public.app_current_user_id(), p_notes)
    RETURNING assignment_id INTO new_id;
    RETURN new_id;
END;
$$;

CREATE FUNCTION transfer_patient(p_assignment_id INTEGER, p_room_id INTEGER, p_bed_number INTEGER) RETURNS INTEGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
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

REVOKE ALL ON FUNCTION ward_bed_states(INTEGER), ward_require_assignable_room(INTEGER), ward_require_free_bed(INTEGER, INTEGER),
    admit_patient(INTEGER, INTEGER, INTEGER, TEXT), transfer_patient(INTEGER, INTEGER, INTEGER) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_bed_states(INTEGER), admit_patient(INTEGER, INTEGER, INTEGER, TEXT),
    transfer_patient(INTEGER, INTEGER, INTEGER) TO clinic_app;
