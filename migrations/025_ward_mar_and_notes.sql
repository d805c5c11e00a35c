-- 025 Ward, second slice (issue 11): the medication administration record, nursing and doctor notes,
-- the administration window setting, and validation of 022's NOT VALID constraints.
--   * medication_administrations is append-only: the app role has no UPDATE/DELETE/TRUNCATE and a trigger
--     refuses them to everyone but the owner. A correction is a new row (outcome entered-in-error) naming
--     the old one; an owner's-rights trigger then marks the old row entered_in_error, nothing else (only
--     the one who recorded it, or an administrator, corrects a dose).
--   * one row per dose counts (given, held, refused, not given): a partial unique index on
--     (prescription_id, scheduled_for), so two nurses scanning the same dose at once record it once.
--   * the guard (BEFORE INSERT, caller's rights, so RLS still decides what the nurse may see): the row's
--     patient is the order's; a dose is given only from a verified (or dispensed) order; a controlled
--     drug given names a witness who is another active nurse or pharmacist (024's pharmacy_may_witness);
--     an as-needed (PRN) dose keeps the order's minimum interval and maximum per 24 h, serialised per
--     order by an advisory lock, so two nurses at once cannot both pass.
--   * nursing and doctor notes are rows of medical_records with a note_kind: the kind matches the
--     author's role; once written a note never changes except being marked entered-in-error by its
--     author (a correction is a new note naming it). Records without a kind (the guide's) keep their rules.
--   * nurses and doctors read the Dispense rows of patients they can see: a pharmacy label (RX…) is
--     scanned back to its order at the bedside.
-- Order matters for locks: the validations come first (SHARE UPDATE EXCLUSIVE: reads and writes go on
-- while they scan), the catalog-only changes to the full table medical_records last, so its ACCESS
-- EXCLUSIVE lock is held only for the moment before COMMIT. The runner's lock_timeout (5 s unless
-- --lock-timeout says otherwise) bounds every wait for a lock.

-- 022's constraints, enforced for new rows since 022: now checked for the old ones too.
ALTER TABLE room_assignments VALIDATE CONSTRAINT room_assignments_discharge_destination_known;
ALTER TABLE room_assignments VALIDATE CONSTRAINT room_assignments_transferred_from_fk;
ALTER TABLE cleaning_service VALIDATE CONSTRAINT cleaning_service_bed_number_positive;

-- The administration window (minutes either side of a scheduled time); one row.
CREATE TABLE ward_settings (
    singleton BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    administration_window_minutes INTEGER NOT NULL DEFAULT 60 CHECK (administration_window_minutes BETWEEN 15 AND 240),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by UUID REFERENCES users (user_id)
);
INSERT INTO ward_settings DEFAULT VALUES;

CREATE TABLE medication_administrations (
    administration_id SERIAL PRIMARY KEY,
    prescription_id INTEGER NOT NULL REFERENCES prescriptions (prescription_id),
    patient_id INTEGER NOT NULL REFERENCES patients (patient_id),
    -- The standard time of the dose; for an as-needed dose, the time it was given.
    scheduled_for TIMESTAMPTZ NOT NULL,
    outcome VARCHAR(16) NOT NULL CHECK (outcome IN ('given', 'held', 'refused', 'not-given', 'entered-in-error')),
    -- Why: held, refused, not given, a correction, or a dose given outside its window.
    reason VARCHAR(500) CHECK (reason IS NULL OR pg_catalog.length(pg_catalog.btrim(reason)) >= 5),
    dose_amount NUMERIC(12, 3) CHECK (dose_amount IS NULL OR dose_amount > 0),
    dose_unit VARCHAR(20),
    -- What was scanned (RX… or MD…) and the dispense a label led to.
    scanned_code VARCHAR(20),
    dispense_transaction_id INTEGER REFERENCES pharmacy (transaction_id),
    recorded_by UUID NOT NULL REFERENCES users (user_id),
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    witnessed_by UUID REFERENCES users (user_id),
    corrects_administration_id INTEGER UNIQUE REFERENCES medication_administrations (administration_id),
    entered_in_error BOOLEAN NOT NULL DEFAULT false,
    CHECK (outcome = 'given' OR reason IS NOT NULL),
    CHECK ((outcome = 'entered-in-error') = (corrects_administration_id IS NOT NULL)),
    CHECK (witnessed_by IS NULL OR witnessed_by <> recorded_by),
    CHECK (NOT (entered_in_error AND outcome = 'entered-in-error'))
);
-- The double-administration guard: one counting row per dose of an order.
CREATE UNIQUE INDEX medication_administrations_one_per_dose ON medication_administrations (prescription_id, scheduled_for)
    WHERE outcome <> 'entered-in-error' AND NOT entered_in_error;
CREATE INDEX idx_medication_administrations_patient ON medication_administrations (patient_id, scheduled_for DESC);

GRANT SELECT ON ward_settings TO clinic_app;
GRANT UPDATE (administration_window_minutes, updated_at, updated_by) ON ward_settings TO clinic_app;
GRANT SELECT, INSERT ON medication_administrations TO clinic_app;
GRANT USAGE, SELECT ON SEQUENCE medication_administrations_administration_id_seq TO clinic_app;

DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['ward_settings', 'medication_administrations'] LOOP
        EXECUTE pg_catalog.format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE pg_catalog.format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION audit_trigger_function()', t || '_audit', t);
    END LOOP;
END;
$$;

-- Settings: every signed-in user reads the window; whoever holds settings.manage changes it, as themselves.
CREATE POLICY ward_settings_read ON ward_settings FOR SELECT USING ((SELECT app_current_user_id()) IS NOT NULL);
CREATE POLICY ward_settings_manage ON ward_settings FOR UPDATE
    USING ((SELECT app_has_permission('settings.manage')))
    WITH CHECK ((SELECT app_has_permission('settings.manage')) AND updated_by = app_current_user_id());

-- Administrations: administrators read and record; doctors and nurses read those of patients they can
-- see and record as themselves, for those patients, never a row already marked in error. The owner
-- (the marking trigger below) reads and marks.
CREATE POLICY medication_administrations_admin ON medication_administrations FOR ALL
    USING ((SELECT 'admin' = ANY (app_roles()))) WITH CHECK ((SELECT 'admin' = ANY (app_roles())));
CREATE POLICY medication_administrations_clinical_read ON medication_administrations FOR SELECT USING (
    (SELECT app_roles() && ARRAY['doctor', 'nurse']) AND app_can_see_patient(patient_id));
CREATE POLICY medication_administrations_clinical_record ON medication_administrations FOR INSERT WITH CHECK (
    (SELECT app_roles() && ARRAY['doctor', 'nurse']) AND recorded_by = app_current_user_id()
    AND NOT entered_in_error AND app_can_see_patient(patient_id));
CREATE POLICY medication_administrations_owner_read ON medication_administrations FOR SELECT
    USING ((SELECT app_holds_owner_rights('public.medication_administrations')));
CREATE POLICY medication_administrations_owner_mark ON medication_administrations FOR UPDATE
    USING ((SELECT app_holds_owner_rights('public.medication_administrations')))
    WITH CHECK ((SELECT app_holds_owner_rights('public.medication_administrations')));

CREATE FUNCTION medication_administrations_refuse_changes() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF NOT public.app_holds_owner_rights('public.medication_administrations'::pg_catalog.regclass) THEN
        RAISE EXCEPTION 'administrations are append-only: record a correction as a new row' USING ERRCODE = '42501';
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$;
REVOKE ALL ON FUNCTION medication_administrations_refuse_changes() FROM PUBLIC;
CREATE TRIGGER medication_administrations_refuse_changes BEFORE UPDATE OR DELETE ON medication_administrations
    FOR EACH ROW EXECUTE FUNCTION medication_administrations_refuse_changes();
CREATE TRIGGER medication_administrations_refuse_truncate BEFORE TRUNCATE ON medication_administrations
    FOR EACH STATEMENT EXECUTE FUNCTION medication_administrations_refuse_changes();

-- 42501 an order the caller cannot see, MAR01 the order is not one to give from (or not this patient's), MAR02 PRN too soon, MAR03 PRN limit reached, MAR04 witness.
CREATE FUNCTION medication_administrations_guard() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    rx RECORD;
    given_count INTEGER;
    last_given TIMESTAMPTZ;
BEGIN
    SELECT p.patient_id, p.status, p.frequency_code, p.prn_min_interval_hours, p.prn_max_per_24h, COALESCE(m.is_controlled, false) AS is_controlled
    INTO rx
    FROM public.prescriptions p LEFT JOIN public.medicine m ON m.medicine_id = p.medicine_id
    WHERE p.prescription_id = NEW.prescription_id;
    -- An order the caller may not see is refused as row level security would refuse the row.
    IF NOT FOUND THEN
        RAISE EXCEPTION 'order % is not one you may record against', NEW.prescription_id USING ERRCODE = '42501';
    END IF;
    IF rx.patient_id <> NEW.patient_id THEN
        RAISE EXCEPTION 'order % is not an order of patient %', NEW.prescription_id, NEW.patient_id USING ERRCODE = 'MAR01';
    END IF;
    IF NEW.outcome <> 'given' THEN
        RETURN NEW;
    END IF;
    IF rx.status NOT IN ('Verified', 'PartiallyDispensed', 'Dispensed') THEN
        RAISE EXCEPTION 'order % is % and cannot be given from', NEW.prescription_id, rx.status USING ERRCODE = 'MAR01';
    END IF;
    IF rx.is_controlled AND (NEW.witnessed_by IS NULL OR NOT public.pharmacy_may_witness(NEW.witnessed_by)) THEN
        RAISE EXCEPTION 'a controlled drug given needs a witness: another active nurse or pharmacist' USING ERRCODE = 'MAR04';
    END IF;
    IF rx.frequency_code = 'PRN' THEN
        -- One nurse at a time per order; the next sees the dose the first committed (a new snapshot per statement).
        PERFORM pg_catalog.pg_advisory_xact_lock(25, NEW.prescription_id);
        SELECT pg_catalog.count(*)::INTEGER, pg_catalog.max(a.scheduled_for) INTO given_count, last_given
        FROM public.medication_administrations a
        WHERE a.prescription_id = NEW.prescription_id AND a.outcome = 'given' AND NOT a.entered_in_error
          AND a.scheduled_for > NEW.scheduled_for - INTERVAL '24 hours'
          AND a.scheduled_for < NEW.scheduled_for + pg_catalog.make_interval(hours => rx.prn_min_interval_hours);
        IF last_given IS NOT NULL
           AND last_given > NEW.scheduled_for - pg_catalog.make_interval(hours => rx.prn_min_interval_hours) THEN
            RAISE EXCEPTION 'the last dose was at %: the next is allowed % h after it', last_given, rx.prn_min_interval_hours
                USING ERRCODE = 'MAR02', DETAIL = (last_given + pg_catalog.make_interval(hours => rx.prn_min_interval_hours))::TEXT;
        END IF;
        IF given_count >= rx.prn_max_per_24h THEN
            RAISE EXCEPTION '% doses in 24 h is this order''s maximum', rx.prn_max_per_24h USING ERRCODE = 'MAR03';
        END IF;
    END IF;
    RETURN NEW;
END;
$$;
REVOKE ALL ON FUNCTION medication_administrations_guard() FROM PUBLIC;
CREATE TRIGGER medication_administrations_guard BEFORE INSERT ON medication_administrations
    FOR EACH ROW EXECUTE FUNCTION medication_administrations_guard();

-- A correction marks the row it names entered-in-error: the same dose of the same order, not yet
-- corrected, not itself a correction, recorded by the one correcting it (or corrected by an
-- administrator). Owner's rights: no one else may update this table.
CREATE FUNCTION medication_administrations_mark_corrected() RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF NEW.corrects_administration_id IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT public.app_has_role('admin') AND NOT EXISTS (
        SELECT 1 FROM public.medication_administrations a
        WHERE a.administration_id = NEW.corrects_administration_id AND a.recorded_by = NEW.recorded_by) THEN
        RAISE EXCEPTION 'only the one who recorded a dose (or an administrator) corrects it' USING ERRCODE = 'MAR06';
    END IF;
    UPDATE public.medication_administrations a SET entered_in_error = true
    WHERE a.administration_id = NEW.corrects_administration_id AND NOT a.entered_in_error AND a.outcome <> 'entered-in-error'
      AND a.prescription_id = NEW.prescription_id AND a.patient_id = NEW.patient_id AND a.scheduled_for = NEW.scheduled_for;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'administration % is not a recorded dose of this order that can be corrected', NEW.corrects_administration_id
            USING ERRCODE = 'MAR05';
    END IF;
    RETURN NULL;
END;
$$;
REVOKE ALL ON FUNCTION medication_administrations_mark_corrected() FROM PUBLIC;
CREATE TRIGGER medication_administrations_mark_corrected AFTER INSERT ON medication_administrations
    FOR EACH ROW EXECUTE FUNCTION medication_administrations_mark_corrected();

-- pharmacy: nurses and doctors read the dispenses of patients they can see (labels scanned at the bedside).
CREATE POLICY pharmacy_clinical_read_dispenses ON pharmacy FOR SELECT USING (
    (SELECT app_roles() && ARRAY['doctor', 'nurse']) AND transaction_type = 'Dispense' AND patient_id IS NOT NULL
    AND app_can_see_patient(patient_id));

-- medical_records: notes (last: the only ACCESS EXCLUSIVE lock, catalog-only, held until COMMIT) ---------
ALTER TABLE medical_records ADD COLUMN note_kind VARCHAR(10);
ALTER TABLE medical_records ADD COLUMN corrects_record_id INTEGER;
ALTER TABLE medical_records ADD COLUMN entered_in_error BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE medical_records ADD COLUMN entered_in_error_by UUID;
ALTER TABLE medical_records ADD COLUMN entered_in_error_at TIMESTAMPTZ;
-- NOT VALID: enforced for every new row at once, no scan of a full table under lock (old rows hold NULLs).
ALTER TABLE medical_records ADD CONSTRAINT medical_records_corrects_fk
    FOREIGN KEY (corrects_record_id) REFERENCES medical_records (record_id) NOT VALID;
ALTER TABLE medical_records ADD CONSTRAINT medical_records_entered_in_error_by_fk
    FOREIGN KEY (entered_in_error_by) REFERENCES users (user_id) NOT VALID;

-- A note is written as its author's kind and never changed, except marked entered-in-error (once, by its
-- author, under 016's author policy); a correction names a note of the same patient.
CREATE FUNCTION medical_records_guard_notes() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF public.app_holds_owner_rights('public.medical_records'::pg_catalog.regclass) THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.entered_in_error OR NEW.entered_in_error_by IS NOT NULL OR NEW.entered_in_error_at IS NOT NULL THEN
            RAISE EXCEPTION 'a new record is not entered in error' USING ERRCODE = '23514';
        END IF;
        IF NEW.note_kind IS NULL THEN
            IF NEW.corrects_record_id IS NOT NULL THEN
                RAISE EXCEPTION 'a correction is a note' USING ERRCODE = '23514';
            END IF;
            RETURN NEW;
        END IF;
        IF NOT ((NEW.note_kind = 'nursing' AND public.app_roles() && ARRAY['nurse', 'admin'])
                OR (NEW.note_kind = 'doctor' AND public.app_roles() && ARRAY['doctor', 'admin'])) THEN
            RAISE EXCEPTION 'a % note is written by a %', NEW.note_kind, CASE NEW.note_kind WHEN 'doctor' THEN 'doctor' ELSE 'nurse' END
                USING ERRCODE = '42501';
        END IF;
        IF pg_catalog.length(pg_catalog.btrim(COALESCE(NEW.notes, ''))) < 3 THEN
            RAISE EXCEPTION 'a note has text' USING ERRCODE = '23514';
        END IF;
        IF NEW.corrects_record_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM public.medical_records r
            WHERE r.record_id = NEW.corrects_record_id AND r.patient_id = NEW.patient_id AND r.note_kind IS NOT NULL) THEN
            RAISE EXCEPTION 'record % is not a note of this patient', NEW.corrects_record_id USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
    END IF;
    IF OLD.note_kind IS NULL AND NOT OLD.entered_in_error THEN
        IF TG_OP = 'UPDATE' AND (NEW.note_kind IS NOT NULL OR NEW.corrects_record_id IS NOT NULL OR NEW.entered_in_error) THEN
            RAISE EXCEPTION 'a record does not become a note' USING ERRCODE = '42501';
        END IF;
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'DELETE' OR OLD.entered_in_error OR NOT NEW.entered_in_error
       OR NEW.entered_in_error_by IS DISTINCT FROM public.app_current_user_id()
       OR (pg_catalog.to_jsonb(NEW) - ARRAY['entered_in_error', 'entered_in_error_by', 'entered_in_error_at'])
          IS DISTINCT FROM (pg_catalog.to_jsonb(OLD) - ARRAY['entered_in_error', 'entered_in_error_by', 'entered_in_error_at']) THEN
        RAISE EXCEPTION 'notes are append-only: write a correction, which marks the old note entered-in-error' USING ERRCODE = '42501';
    END IF;
    NEW.entered_in_error_at := pg_catalog.now();
    RETURN NEW;
END;
$$;
REVOKE ALL ON FUNCTION medical_records_guard_notes() FROM PUBLIC;
CREATE TRIGGER medical_records_guard_notes BEFORE INSERT OR UPDATE OR DELETE ON medical_records
    FOR EACH ROW EXECUTE FUNCTION medical_records_guard_notes();
