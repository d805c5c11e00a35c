-- 020 Pharmacy, first slice (issue 10): allergies, interactions, structured orders, verification, and a
-- stock ledger the database keeps exact for any client.
--   * pharmacy is an append-only ledger: the app role has no UPDATE/DELETE, and a trigger refuses them
--     to everyone but the owner; a correction is a new row.
--   * a lot's quantity_on_hand moves only with a ledger row (pharmacy_move_stock, AFTER INSERT, owner's
--     rights): the app role cannot write quantity_on_hand at all, a new lot starts at 0, and a direct
--     UPDATE of the column is refused (for the owner too). The lot's CHECK (>= 0) and the row lock of
--     that UPDATE keep stock from going negative under any concurrency.
--   * a prescription is dispensed at most its quantity: each Dispense row adds to dispensed_quantity
--     (CHECK <= quantity, with the caller's rights, so RLS still decides who may), and sets the status;
--     only Verified or PartiallyDispensed orders can be dispensed.
--   * status transitions and verification are checked by the prescriptions guard trigger.
-- CHECKs on existing tables are added NOT VALID (enforced for new rows at once); 021 validates them.

-- A permission for recording allergies: doctors, nurses and pharmacists (and administrators).
INSERT INTO permissions (permission_name, description) VALUES ('allergies.write', 'Record and correct patient allergies');
INSERT INTO role_permissions (role_id, permission_id)
SELECT r.role_id, p.permission_id FROM roles r, permissions p
WHERE r.role_name IN ('admin', 'doctor', 'nurse', 'pharmacist') AND p.permission_name = 'allergies.write';

-- medicine: what the checks need --------------------------------------------------------------
ALTER TABLE medicine ADD COLUMN drug_class VARCHAR(80);
ALTER TABLE medicine ADD COLUMN max_daily_dose NUMERIC(12, 3);
ALTER TABLE medicine ADD COLUMN dose_unit VARCHAR(20);
ALTER TABLE medicine ADD CONSTRAINT medicine_max_daily_dose_positive CHECK (max_daily_dose IS NULL OR (max_daily_dose > 0 AND dose_unit IS NOT NULL)) NOT VALID;

ALTER TABLE medicine_lots ADD COLUMN supplier VARCHAR(150);

-- prescriptions: a structured order ------------------------------------------------------------
ALTER TABLE prescriptions ADD COLUMN route VARCHAR(20) NOT NULL DEFAULT 'oral';
ALTER TABLE prescriptions ADD COLUMN dose_amount NUMERIC(12, 3);
ALTER TABLE prescriptions ADD COLUMN dose_unit VARCHAR(20);
ALTER TABLE prescriptions ADD COLUMN frequency_code VARCHAR(4);
ALTER TABLE prescriptions ADD COLUMN interval_hours INTEGER;
ALTER TABLE prescriptions ADD COLUMN prn_min_interval_hours INTEGER;
ALTER TABLE prescriptions ADD COLUMN prn_max_per_24h INTEGER;
ALTER TABLE prescriptions ADD COLUMN urgency VARCHAR(10) NOT NULL DEFAULT 'routine';
ALTER TABLE prescriptions ADD COLUMN replaces_prescription_id INTEGER;
ALTER TABLE prescriptions ADD COLUMN verified_by UUID;
ALTER TABLE prescriptions ADD COLUMN verified_at TIMESTAMPTZ;
ALTER TABLE prescriptions ADD COLUMN queried_reason TEXT;
ALTER TABLE prescriptions ADD COLUMN queried_by UUID;
ALTER TABLE prescriptions ADD COLUMN dispensed_quantity INTEGER NOT NULL DEFAULT 0;

ALTER TABLE prescriptions ADD CONSTRAINT prescriptions_replaces_fk FOREIGN KEY (replaces_prescription_id) REFERENCES prescriptions (prescription_id) NOT VALID;
ALTER TABLE prescriptions ADD CONSTRAINT prescriptions_verified_by_fk FOREIGN KEY (verified_by) REFERENCES users (user_id) NOT VALID;
ALTER TABLE prescriptions ADD CONSTRAINT prescriptions_queried_by_fk FOREIGN KEY (queried_by) REFERENCES users (user_id) NOT VALID;
ALTER TABLE prescriptions ADD CONSTRAINT prescriptions_route_known CHECK (route IN ('oral', 'iv', 'im', 'sc', 'topical', 'inhaled', 'rectal', 'sublingual', 'other')) NOT VALID;
ALTER TABLE prescriptions ADD CONSTRAINT prescriptions_urgency_known CHECK (urgency IN ('routine', 'urgent', 'STAT')) NOT VALID;
ALTER TABLE prescriptions ADD CONSTRAINT prescriptions_frequency_known CHECK (
    frequency_code IS NULL OR frequency_code IN ('OD', 'BD', 'TDS', 'QDS', 'QxH', 'PRN', 'STAT')) NOT VALID;
ALTER TABLE prescriptions ADD CONSTRAINT prescriptions_interval_given CHECK (
    (frequency_code = 'QxH') = (interval_hours IS NOT NULL) AND (interval_hours IS NULL OR interval_hours BETWEEN 1 AND 72)) NOT VALID;
ALTER TABLE prescriptions ADD CONSTRAINT prescriptions_prn_limits CHECK (
    (frequency_code = 'PRN') = (prn_min_interval_hours IS NOT NULL AND prn_max_per_24h IS NOT NULL)
    AND (prn_min_interval_hours IS NULL OR prn_min_interval_hours BETWEEN 1 AND 72)
    AND (prn_max_per_24h IS NULL OR prn_max_per_24h BETWEEN 1 AND 48)) NOT VALID;
ALTER TABLE prescriptions ADD CONSTRAINT prescriptions_dose_positive CHECK (dose_amount IS NULL OR dose_amount > 0) NOT VALID;
ALTER TABLE prescriptions ADD CONSTRAINT prescriptions_dispensed_within_quantity CHECK (dispensed_quantity BETWEEN 0 AND quantity) NOT VALID;
-- Two more states: Active is "awaiting verification"; Queried goes back to the prescriber.
ALTER TABLE prescriptions DROP CONSTRAINT prescriptions_status_check;
ALTER TABLE prescriptions ADD CONSTRAINT prescriptions_status_check CHECK (
    status IN ('Active', 'Queried', 'Verified', 'PartiallyDispensed', 'Dispensed', 'Cancelled', 'Completed')) NOT VALID;

-- Pharmacists see orders to verify and dispense (and those of the last 90 days); they verify, query
-- back, and dispense — the guard trigger below decides which transitions.
DROP POLICY prescriptions_pharmacist_read ON prescriptions;
CREATE POLICY prescriptions_pharmacist_read ON prescriptions FOR SELECT USING (
    (SELECT 'pharmacist' = ANY (app_roles()))
    AND (status IN ('Active', 'Queried', 'Verified', 'PartiallyDispensed') OR prescribed_at > now() - INTERVAL '90 days'));
DROP POLICY prescriptions_pharmacist_dispense ON prescriptions;
CREATE POLICY prescriptions_pharmacist_dispense ON prescriptions FOR UPDATE
    USING ((SELECT 'pharmacist' = ANY (app_roles())) AND status IN ('Active', 'Verified', 'PartiallyDispensed'))
    WITH CHECK ((SELECT 'pharmacist' = ANY (app_roles())) AND status IN ('Queried', 'Verified', 'PartiallyDispensed', 'Dispensed'));

-- Replaces 016's guard: the dispensing columns grew, dispensed_quantity moves only with a ledger row,
-- and every status change is one a hospital allows (administrators included).
CREATE OR REPLACE FUNCTION prescriptions_guard_changes() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    dispensing_columns CONSTANT pg_catalog.text[] := ARRAY['status', 'verified_by', 'verified_at', 'queried_reason', 'queried_by', 'dispensed_quantity'];
BEGIN
    -- Only pharmacy_count_dispensed (a trigger on the ledger) moves it: depth 2 or more.
    IF NEW.dispensed_quantity IS DISTINCT FROM OLD.dispensed_quantity AND pg_catalog.pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'the dispensed quantity changes only with a dispense in the pharmacy ledger' USING ERRCODE = '42501';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
        (OLD.status = 'Active' AND NEW.status IN ('Verified', 'Queried', 'Cancelled'))
        OR (OLD.status = 'Queried' AND NEW.status IN ('Active', 'Cancelled'))
        OR (OLD.status = 'Verified' AND NEW.status IN ('PartiallyDispensed', 'Dispensed', 'Cancelled'))
        OR (OLD.status = 'PartiallyDispensed' AND NEW.status IN ('Dispensed', 'Cancelled', 'Completed'))
        OR (OLD.status = 'Dispensed' AND NEW.status = 'Completed')) THEN
        RAISE EXCEPTION 'a prescription cannot go from % to %', OLD.status, NEW.status USING ERRCODE = '23514';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status AND NEW.status IN ('PartiallyDispensed', 'Dispensed')
       AND (NEW.dispensed_quantity = 0 OR (NEW.status = 'Dispensed') <> (NEW.dispensed_quantity = NEW.quantity)) THEN
        RAISE EXCEPTION 'the status must match the quantity dispensed' USING ERRCODE = '23514';
    END IF;
    -- Verifying and querying back are the pharmacist's (or an administrator's) acts.
    IF NEW.status IS DISTINCT FROM OLD.status AND NEW.status IN ('Verified', 'Queried') AND NOT public.app_roles() && ARRAY['pharmacist', 'admin'] THEN
        RAISE EXCEPTION 'only a pharmacist verifies or queries an order' USING ERRCODE = '42501';
    END IF;
    IF NEW.status = 'Verified' AND OLD.status <> 'Verified' THEN
        NEW.verified_by := public.app_current_user_id();
        NEW.verified_at := pg_catalog.now();
    END IF;
    IF NEW.status = 'Queried' AND OLD.status <> 'Queried' THEN
        IF pg_catalog.length(pg_catalog.btrim(COALESCE(NEW.queried_reason, ''))) < 3 THEN
            RAISE EXCEPTION 'a query needs a reason' USING ERRCODE = '23514';
        END IF;
        NEW.queried_by := public.app_current_user_id();
    END IF;
    IF public.app_has_role('admin') THEN
        RETURN NEW;
    END IF;
    IF (NEW.patient_id, NEW.doctor_id, NEW.prescribed_at) IS DISTINCT FROM (OLD.patient_id, OLD.doctor_id, OLD.prescribed_at) THEN
        RAISE EXCEPTION 'a prescription keeps its patient, prescriber and date: write a new one' USING ERRCODE = '42501';
    END IF;
    IF public.app_has_role('doctor') AND OLD.doctor_id = ANY (public.app_my_doctor_ids()) THEN
        RETURN NEW;
    END IF;
    IF (pg_catalog.to_jsonb(NEW) - dispensing_columns) IS DISTINCT FROM (pg_catalog.to_jsonb(OLD) - dispensing_columns) THEN
        RAISE EXCEPTION 'dispensing changes only %', pg_catalog.array_to_string(dispensing_columns, ', ') USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END;
$$;
REVOKE ALL ON FUNCTION prescriptions_guard_changes() FROM PUBLIC;

-- A new order starts undispensed and, unless an administrator enters it, waiting for verification:
-- no one writes a Verified order past the pharmacist.
CREATE FUNCTION prescriptions_guard_insert() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF NEW.dispensed_quantity <> 0 THEN
        RAISE EXCEPTION 'a new order has nothing dispensed: dispenses are rows in the pharmacy ledger' USING ERRCODE = '42501';
    END IF;
    IF NOT public.app_has_role('admin') AND (NEW.status <> 'Active' OR NEW.verified_by IS NOT NULL OR NEW.queried_by IS NOT NULL) THEN
        RAISE EXCEPTION 'a new order waits for verification' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END;
$$;
REVOKE ALL ON FUNCTION prescriptions_guard_insert() FROM PUBLIC;
CREATE TRIGGER prescriptions_guard_insert BEFORE INSERT ON prescriptions
    FOR EACH ROW EXECUTE FUNCTION prescriptions_guard_insert();

-- medicine_lots: stock arrives only through the ledger ----------------------------------------
REVOKE INSERT, UPDATE, DELETE ON medicine_lots FROM clinic_app;
GRANT INSERT (medicine_id, lot_number, expiry_date, supplier) ON medicine_lots TO clinic_app;
DROP POLICY medicine_lots_stock_update ON medicine_lots;
DROP POLICY medicine_lots_stock_delete ON medicine_lots;

CREATE FUNCTION medicine_lots_guard_stock() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.quantity_on_hand <> 0 THEN
        RAISE EXCEPTION 'a new lot starts empty: its stock arrives with a Receive row in the pharmacy ledger' USING ERRCODE = '23514';
    END IF;
    -- Depth 2 or more: the UPDATE comes from pharmacy_move_stock, i.e. from a ledger row.
    IF TG_OP = 'UPDATE' AND NEW.quantity_on_hand IS DISTINCT FROM OLD.quantity_on_hand AND pg_catalog.pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'stock changes only with a row in the pharmacy ledger' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END;
$$;
REVOKE ALL ON FUNCTION medicine_lots_guard_stock() FROM PUBLIC;
CREATE TRIGGER medicine_lots_guard_stock BEFORE INSERT OR UPDATE OF quantity_on_hand ON medicine_lots
    FOR EACH ROW EXECUTE FUNCTION medicine_lots_guard_stock();

-- pharmacy: the append-only ledger --------------------------------------------------------------
REVOKE UPDATE, DELETE, TRUNCATE ON pharmacy FROM clinic_app;

CREATE FUNCTION pharmacy_refuse_changes() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF NOT public.app_holds_owner_rights('public.pharmacy'::pg_catalog.regclass) THEN
        RAISE EXCEPTION 'the pharmacy ledger is append-only: record a correction as a new row' USING ERRCODE = '42501';
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$;
REVOKE ALL ON FUNCTION pharmacy_refuse_changes() FROM PUBLIC;
CREATE TRIGGER pharmacy_refuse_changes BEFORE UPDATE OR DELETE ON pharmacy
    FOR EACH ROW EXECUTE FUNCTION pharmacy_refuse_changes();
CREATE TRIGGER pharmacy_refuse_truncate BEFORE TRUNCATE ON pharmacy
    FOR EACH STATEMENT EXECUTE FUNCTION pharmacy_refuse_changes();

-- Opening balances: on a database with stock from before 020, each lot gets the one row that makes
-- its ledger sum equal its stock (before the trigger below exists, so stock does not move twice).
-- The ledger is FORCEd and has no owner policy: FORCE is lifted within this transaction only.
ALTER TABLE pharmacy NO FORCE ROW LEVEL SECURITY;
INSERT INTO pharmacy (medicine_id, lot_id, transaction_type, quantity, notes)
SELECT l.medicine_id, l.lot_id, 'Adjust', l.quantity_on_hand - COALESCE(s.total, 0), 'Opening balance (migration 020)'
FROM medicine_lots l
LEFT JOIN (SELECT lot_id, pg_catalog.sum(quantity) AS total FROM pharmacy WHERE lot_id IS NOT NULL GROUP BY lot_id) s USING (lot_id)
WHERE l.quantity_on_hand <> COALESCE(s.total, 0);
ALTER TABLE pharmacy FORCE ROW LEVEL SECURITY;

-- Every new row names its lot, carries the sign of its kind, and moves that lot's stock. Owner's
-- rights: no one else may write quantity_on_hand.
CREATE FUNCTION pharmacy_move_stock() RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    left_over INTEGER;
BEGIN
    IF NEW.lot_id IS NULL THEN
        RAISE EXCEPTION 'a stock movement names its lot' USING ERRCODE = '23502';
    END IF;
    IF (NEW.transaction_type IN ('Receive', 'Return') AND NEW.quantity < 0)
       OR (NEW.transaction_type IN ('Dispense', 'Dispose') AND NEW.quantity > 0) THEN
        RAISE EXCEPTION '% rows carry a % quantity', NEW.transaction_type,
            CASE WHEN NEW.transaction_type IN ('Receive', 'Return') THEN 'positive' ELSE 'negative' END USING ERRCODE = '23514';
    END IF;
    UPDATE public.medicine_lots SET quantity_on_hand = quantity_on_hand + NEW.quantity
    WHERE lot_id = NEW.lot_id AND medicine_id = NEW.medicine_id
    RETURNING quantity_on_hand INTO left_over;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'lot % is not a lot of medicine %', NEW.lot_id, NEW.medicine_id USING ERRCODE = 'PH001';
    END IF;
    RETURN NULL;
END;
$$;
REVOKE ALL ON FUNCTION pharmacy_move_stock() FROM PUBLIC;
CREATE TRIGGER pharmacy_move_stock AFTER INSERT ON pharmacy
    FOR EACH ROW EXECUTE FUNCTION pharmacy_move_stock();

-- A Dispense row counts against its prescription, with the caller's rights (RLS decides who may):
-- only a Verified or PartiallyDispensed order of that medicine, never beyond its quantity.
CREATE FUNCTION pharmacy_count_dispensed() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF NEW.transaction_type <> 'Dispense' THEN
        RETURN NULL;
    END IF;
    IF NEW.prescription_id IS NULL THEN
        RAISE EXCEPTION 'a dispense names its prescription' USING ERRCODE = '23502';
    END IF;
    UPDATE public.prescriptions
    SET dispensed_quantity = dispensed_quantity - NEW.quantity,
        status = CASE WHEN dispensed_quantity - NEW.quantity >= quantity THEN 'Dispensed' ELSE 'PartiallyDispensed' END
    WHERE prescription_id = NEW.prescription_id AND medicine_id = NEW.medicine_id
      AND patient_id IS NOT DISTINCT FROM COALESCE(NEW.patient_id, patient_id)
      AND status IN ('Verified', 'PartiallyDispensed');
    IF NOT FOUND THEN
        RAISE EXCEPTION 'prescription % is not a verified order of this medicine for this patient', NEW.prescription_id USING ERRCODE = 'PH002';
    END IF;
    RETURN NULL;
END;
$$;
REVOKE ALL ON FUNCTION pharmacy_count_dispensed() FROM PUBLIC;
CREATE TRIGGER pharmacy_count_dispensed AFTER INSERT ON pharmacy
    FOR EACH ROW EXECUTE FUNCTION pharmacy_count_dispensed();

-- billing: a pharmacist bills what they dispense, as themselves, for a patient they can see.
CREATE POLICY billing_pharmacist_dispense ON billing FOR INSERT WITH CHECK (
    (SELECT 'pharmacist' = ANY (app_roles())) AND created_by = app_current_user_id() AND app_can_see_patient(patient_id));

-- patient_allergies -----------------------------------------------------------------------------
CREATE TABLE patient_allergies (
    allergy_id SERIAL PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (patient_id),
    substance VARCHAR(150) NOT NULL CHECK (substance = pg_catalog.lower(pg_catalog.btrim(substance)) AND substance <> ''),
    -- 'generic': the substance is a generic name; 'class': a drug class (penicillins, NSAIDs…).
    match_kind VARCHAR(10) NOT NULL DEFAULT 'generic' CHECK (match_kind IN ('generic', 'class')),
    reaction VARCHAR(255),
    severity VARCHAR(20) NOT NULL DEFAULT 'moderate' CHECK (severity IN ('mild', 'moderate', 'severe', 'life-threatening')),
    recorded_by UUID NOT NULL REFERENCES users (user_id),
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    entered_in_error BOOLEAN NOT NULL DEFAULT false,
    entered_in_error_by UUID REFERENCES users (user_id),
    entered_in_error_at TIMESTAMPTZ,
    CHECK (entered_in_error = (entered_in_error_by IS NOT NULL))
);
CREATE INDEX idx_patient_allergies_patient ON patient_allergies (patient_id) WHERE NOT entered_in_error;

-- drug_interactions: one row per pair of generic names, the smaller name first -----------------
CREATE TABLE drug_interactions (
    interaction_id SERIAL PRIMARY KEY,
    generic_a VARCHAR(150) NOT NULL CHECK (generic_a = pg_catalog.lower(generic_a)),
    generic_b VARCHAR(150) NOT NULL CHECK (generic_b = pg_catalog.lower(generic_b)),
    severity VARCHAR(20) NOT NULL CHECK (severity IN ('minor', 'moderate', 'major', 'contraindicated')),
    advice TEXT NOT NULL,
    CHECK (generic_a < generic_b),
    UNIQUE (generic_a, generic_b)
);

-- medication_check_overrides: a check that fired, and why the clinician went on -----------------
CREATE TABLE medication_check_overrides (
    override_id SERIAL PRIMARY KEY,
    prescription_id INTEGER NOT NULL REFERENCES prescriptions (prescription_id),
    stage VARCHAR(15) NOT NULL CHECK (stage IN ('prescribing', 'verification', 'administration')),
    check_kind VARCHAR(15) NOT NULL CHECK (check_kind IN ('allergy', 'duplicate', 'interaction', 'max-dose')),
    detail VARCHAR(500) NOT NULL,
    reason VARCHAR(500) NOT NULL CHECK (pg_catalog.length(pg_catalog.btrim(reason)) >= 5),
    overridden_by UUID NOT NULL REFERENCES users (user_id),
    overridden_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_medication_check_overrides_prescription ON medication_check_overrides (prescription_id);

GRANT SELECT, INSERT ON patient_allergies, medication_check_overrides TO clinic_app;
GRANT UPDATE (entered_in_error, entered_in_error_by, entered_in_error_at) ON patient_allergies TO clinic_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON drug_interactions TO clinic_app;
GRANT USAGE, SELECT ON SEQUENCE patient_allergies_allergy_id_seq, drug_interactions_interaction_id_seq,
    medication_check_overrides_override_id_seq TO clinic_app;

DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['patient_allergies', 'drug_interactions', 'medication_check_overrides'] LOOP
        EXECUTE pg_catalog.format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE pg_catalog.format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION audit_trigger_function()', t || '_audit', t);
    END LOOP;
END;
$$;

-- Allergies: administrators everything; doctors, nurses and pharmacists read, record (as themselves)
-- and mark entered-in-error, only for patients they can see.
CREATE POLICY patient_allergies_admin ON patient_allergies FOR ALL
    USING ((SELECT 'admin' = ANY (app_roles()))) WITH CHECK ((SELECT 'admin' = ANY (app_roles())));
CREATE POLICY patient_allergies_clinical_read ON patient_allergies FOR SELECT USING (
    (SELECT app_roles() && ARRAY['doctor', 'nurse', 'pharmacist']) AND app_can_see_patient(patient_id));
CREATE POLICY patient_allergies_clinical_record ON patient_allergies FOR INSERT WITH CHECK (
    (SELECT app_roles() && ARRAY['doctor', 'nurse', 'pharmacist']) AND recorded_by = app_current_user_id()
    AND NOT entered_in_error AND app_can_see_patient(patient_id));
CREATE POLICY patient_allergies_clinical_error ON patient_allergies FOR UPDATE
    USING ((SELECT app_roles() && ARRAY['doctor', 'nurse', 'pharmacist']) AND app_can_see_patient(patient_id))
    WITH CHECK ((SELECT app_roles() && ARRAY['doctor', 'nurse', 'pharmacist']) AND app_can_see_patient(patient_id)
                AND entered_in_error AND entered_in_error_by = app_current_user_id());

-- Interactions are reference data like the formulary: read by all, kept with pharmacy.stock.
CREATE POLICY drug_interactions_read ON drug_interactions FOR SELECT USING (true);
CREATE POLICY drug_interactions_owner_insert ON drug_interactions FOR INSERT WITH CHECK ((SELECT app_holds_owner_rights('public.drug_interactions')));
CREATE POLICY drug_interactions_owner_update ON drug_interactions FOR UPDATE
    USING ((SELECT app_holds_owner_rights('public.drug_interactions'))) WITH CHECK ((SELECT app_holds_owner_rights('public.drug_interactions')));
CREATE POLICY drug_interactions_owner_delete ON drug_interactions FOR DELETE USING ((SELECT app_holds_owner_rights('public.drug_interactions')));
CREATE POLICY drug_interactions_manage_insert ON drug_interactions FOR INSERT TO clinic_app WITH CHECK ((SELECT app_has_permission('pharmacy.stock')));
CREATE POLICY drug_interactions_manage_update ON drug_interactions FOR UPDATE TO clinic_app
    USING ((SELECT app_has_permission('pharmacy.stock'))) WITH CHECK ((SELECT app_has_permission('pharmacy.stock')));
CREATE POLICY drug_interactions_manage_delete ON drug_interactions FOR DELETE TO clinic_app USING ((SELECT app_has_permission('pharmacy.stock')));

-- Overrides: read with the prescription they belong to (the subquery is RLS-filtered); written by
-- the prescriber or the verifying pharmacist, as themselves; never changed.
CREATE POLICY medication_check_overrides_admin ON medication_check_overrides FOR ALL
    USING ((SELECT 'admin' = ANY (app_roles()))) WITH CHECK ((SELECT 'admin' = ANY (app_roles())));
CREATE POLICY medication_check_overrides_clinical_read ON medication_check_overrides FOR SELECT USING (
    (SELECT app_roles() && ARRAY['doctor', 'nurse', 'pharmacist'])
    AND EXISTS (SELECT 1 FROM public.prescriptions p WHERE p.prescription_id = medication_check_overrides.prescription_id));
CREATE POLICY medication_check_overrides_clinical_record ON medication_check_overrides FOR INSERT WITH CHECK (
    (SELECT app_roles() && ARRAY['doctor', 'pharmacist']) AND overridden_by = app_current_user_id()
    AND EXISTS (SELECT 1 FROM public.prescriptions p WHERE p.prescription_id = medication_check_overrides.prescription_id));
