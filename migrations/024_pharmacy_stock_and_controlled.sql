-- 024 Pharmacy, second slice (issue 10): stock adjust / return / dispose, controlled drugs with a
-- witness, physical counts, cancelling an order with a reason, and patient weights.
--   * every new ledger row passes pharmacy_check_movement (BEFORE INSERT, caller's rights):
--     - Adjust, Return and Dispose rows carry a reason (notes);
--     - a Return names its order and lot, and brings back at most what that order took from that lot,
--       net of earlier returns (serialised per order by an advisory lock, so two returns at once cannot
--       both pass); the row takes the patient of the dispense;
--     - a controlled medicine's Dispense, Dispose and Adjust rows name a witness (witnessed_by), who is
--       another person than performed_by and an active pharmacist or nurse. A witness on any row obeys
--       the same rule.
--   * controlled_drug_counts: a physical count beside the book balance the database reads itself; the
--     difference is a generated column, and an administrator closes a discrepancy with a resolution.
--   * patient_weights: append-only, the latest row is the patient's weight.
--   * a cancelled order records who and when (stamped by the database) and why.
--   * record_witness writes the audit row of a witness's sign-in, naming the witness (main checks the
--     password like a sign-in first; the database checks the person).
-- New columns on the full tables pharmacy and prescriptions are NULL (catalog-only); their foreign keys
-- are NOT VALID (enforced for new rows at once; existing rows hold NULLs) and a later migration validates them.

-- pharmacy: the witness of a movement -----------------------------------------------------------------
ALTER TABLE pharmacy ADD COLUMN witnessed_by UUID;
ALTER TABLE pharmacy ADD CONSTRAINT pharmacy_witnessed_by_fk FOREIGN KEY (witnessed_by) REFERENCES users (user_id) NOT VALID;

-- prescriptions: why and by whom an order was cancelled ----------------------------------------------
ALTER TABLE prescriptions ADD COLUMN cancelled_reason VARCHAR(500);
ALTER TABLE prescriptions ADD COLUMN cancelled_by UUID;
ALTER TABLE prescriptions ADD COLUMN cancelled_at TIMESTAMPTZ;
ALTER TABLE prescriptions ADD CONSTRAINT prescriptions_cancelled_by_fk FOREIGN KEY (cancelled_by) REFERENCES users (user_id) NOT VALID;

-- Whether a user may witness a controlled-drug movement: active, holding an active pharmacist or nurse role.
CREATE FUNCTION pharmacy_may_witness(p_user UUID) RETURNS BOOLEAN
LANGUAGE sql STABLE
SET search_path = pg_catalog, public, pg_temp
AS $$
    SELECT EXISTS (
        SELECT 1 FROM public.users u
        JOIN public.user_roles ur ON ur.user_id = u.user_id
        JOIN public.roles r ON r.role_id = ur.role_id
        WHERE u.user_id = p_user AND u.is_active IS NOT FALSE AND r.is_active AND r.role_name IN ('pharmacist', 'nurse'))
$$;
REVOKE ALL ON FUNCTION pharmacy_may_witness(UUID) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pharmacy_may_witness(UUID) TO clinic_app;

CREATE FUNCTION pharmacy_check_movement() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    controlled BOOLEAN;
    taken INTEGER;
    returned INTEGER;
    dispensed_patient INTEGER;
BEGIN
    IF NEW.transaction_type IN ('Adjust', 'Return', 'Dispose')
       AND pg_catalog.length(pg_catalog.btrim(COALESCE(NEW.notes, ''))) < 5 THEN
        RAISE EXCEPTION '% rows need a reason', NEW.transaction_type USING ERRCODE = '23514';
    END IF;

    IF NEW.witnessed_by IS NOT NULL THEN
        IF NEW.performed_by IS NULL OR NEW.witnessed_by = NEW.performed_by THEN
            RAISE EXCEPTION 'a witness must be another person than the one who moves the stock' USING ERRCODE = 'PH004';
        END IF;
        IF NOT public.pharmacy_may_witness(NEW.witnessed_by) THEN
            RAISE EXCEPTION 'a witness is an active pharmacist or nurse' USING ERRCODE = 'PH004';
        END IF;
    END IF;
    SELECT m.is_controlled INTO controlled FROM public.medicine m WHERE m.medicine_id = NEW.medicine_id;
    IF controlled AND NEW.transaction_type IN ('Dispense', 'Dispose', 'Adjust') AND NEW.witnessed_by IS NULL THEN
        RAISE EXCEPTION 'a controlled drug''s % needs a witness', NEW.transaction_type USING ERRCODE = 'PH004';
    END IF;

    IF NEW.transaction_type = 'Return' THEN
        IF NEW.prescription_id IS NULL OR NEW.lot_id IS NULL THEN
            RAISE EXCEPTION 'a return names the order and the lot it was dispensed from' USING ERRCODE = '23502';
        END IF;
        -- One return of an order at a time: the sums below then see every earlier return committed.
        PERFORM pg_catalog.pg_advisory_xact_lock(24, NEW.prescription_id);
        SELECT COALESCE(-pg_catalog.sum(p.quantity) FILTER (WHERE p.transaction_type = 'Dispense'), 0),
               COALESCE(pg_catalog.sum(p.quantity) FILTER (WHERE p.transaction_type = 'Return'), 0),
               pg_catalog.min(p.patient_id) FILTER (WHERE p.transaction_type = 'Dispense')
          INTO taken, returned, dispensed_patient
          FROM public.pharmacy p
         WHERE p.prescription_id = NEW.prescription_id AND p.lot_id = NEW.lot_id AND p.medicine_id = NEW.medicine_id;
        IF NEW.quantity > taken - returned THEN
            RAISE EXCEPTION 'only % unit(s) of order % can come back into lot %: % dispensed from it, % returned',
                GREATEST(taken - returned, 0), NEW.prescription_id, NEW.lot_id, taken, returned
                USING ERRCODE = 'PH003';
        END IF;
        NEW.patient_id := dispensed_patient;
    END IF;
    RETURN NEW;
END;
$$;
REVOKE ALL ON FUNCTION pharmacy_check_movement() FROM PUBLIC;
CREATE TRIGGER pharmacy_check_movement BEFORE INSERT ON pharmacy
    FOR EACH ROW EXECUTE FUNCTION pharmacy_check_movement();

-- Who cancelled an order and when are the database's to write; the reason goes with the status change.
CREATE FUNCTION prescriptions_stamp_cancel() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF NEW.status = 'Cancelled' AND OLD.status IS DISTINCT FROM 'Cancelled' THEN
        NEW.cancelled_by := public.app_current_user_id();
        NEW.cancelled_at := pg_catalog.now();
    ELSIF (NEW.cancelled_reason, NEW.cancelled_by, NEW.cancelled_at) IS DISTINCT FROM (OLD.cancelled_reason, OLD.cancelled_by, OLD.cancelled_at) THEN
        RAISE EXCEPTION 'the cancellation of an order is recorded once, as it is cancelled' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END;
$$;
REVOKE ALL ON FUNCTION prescriptions_stamp_cancel() FROM PUBLIC;
CREATE TRIGGER prescriptions_stamp_cancel BEFORE UPDATE ON prescriptions
    FOR EACH ROW EXECUTE FUNCTION prescriptions_stamp_cancel();

-- controlled_drug_counts ------------------------------------------------------------------------------
CREATE TABLE controlled_drug_counts (
    count_id SERIAL PRIMARY KEY,
    medicine_id INTEGER NOT NULL REFERENCES medicine (medicine_id),
    counted_quantity INTEGER NOT NULL CHECK (counted_quantity >= 0),
    -- Set by the database from the lots when the row is written, whatever the client sends.
    book_balance INTEGER NOT NULL DEFAULT 0,
    difference INTEGER GENERATED ALWAYS AS (counted_quantity - book_balance) STORED,
    note VARCHAR(500),
    counted_by UUID NOT NULL REFERENCES users (user_id),
    witnessed_by UUID REFERENCES users (user_id),
    counted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    resolved_by UUID REFERENCES users (user_id),
    resolved_at TIMESTAMPTZ,
    resolution VARCHAR(500),
    CHECK (witnessed_by IS NULL OR witnessed_by <> counted_by),
    CHECK ((resolved_by IS NULL) = (resolved_at IS NULL) AND (resolved_by IS NULL) = (resolution IS NULL)),
    CHECK (resolution IS NULL OR pg_catalog.length(pg_catalog.btrim(resolution)) >= 5)
);
CREATE INDEX idx_controlled_drug_counts_medicine ON controlled_drug_counts (medicine_id, counted_at);
CREATE INDEX idx_controlled_drug_counts_open ON controlled_drug_counts (counted_at) WHERE difference <> 0 AND resolved_at IS NULL;

CREATE FUNCTION controlled_drug_counts_guard() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM public.medicine m WHERE m.medicine_id = NEW.medicine_id AND m.is_controlled) THEN
            RAISE EXCEPTION 'medicine % is not a controlled drug: it has no register to count against', NEW.medicine_id USING ERRCODE = 'PH005';
        END IF;
        IF NEW.witnessed_by IS NOT NULL AND NOT public.pharmacy_may_witness(NEW.witnessed_by) THEN
            RAISE EXCEPTION 'a witness is an active pharmacist or nurse' USING ERRCODE = 'PH004';
        END IF;
        IF NEW.resolved_by IS NOT NULL THEN
            RAISE EXCEPTION 'a new count is not yet resolved' USING ERRCODE = '42501';
        END IF;
        NEW.book_balance := (SELECT COALESCE(pg_catalog.sum(l.quantity_on_hand), 0) FROM public.medicine_lots l WHERE l.medicine_id = NEW.medicine_id);
        NEW.counted_at := pg_catalog.now();
        RETURN NEW;
    END IF;
    -- UPDATE: only the resolution, once, of a count that differed; who and when are stamped here.
    -- (The generated difference is not yet computed in NEW here, so it is left out of the comparison.)
    IF OLD.resolved_by IS NOT NULL OR OLD.difference = 0 OR NEW.resolution IS NULL
       OR (pg_catalog.to_jsonb(NEW) - ARRAY['resolved_by', 'resolved_at', 'resolution', 'difference']) IS DISTINCT FROM
          (pg_catalog.to_jsonb(OLD) - ARRAY['resolved_by', 'resolved_at', 'resolution', 'difference']) THEN
        RAISE EXCEPTION 'a count is never changed; an open discrepancy is resolved once' USING ERRCODE = '42501';
    END IF;
    NEW.resolved_by := public.app_current_user_id();
    NEW.resolved_at := pg_catalog.now();
    RETURN NEW;
END;
$$;
REVOKE ALL ON FUNCTION controlled_drug_counts_guard() FROM PUBLIC;
CREATE TRIGGER controlled_drug_counts_guard BEFORE INSERT OR UPDATE ON controlled_drug_counts
    FOR EACH ROW EXECUTE FUNCTION controlled_drug_counts_guard();

-- patient_weights -------------------------------------------------------------------------------------
CREATE TABLE patient_weights (
    weight_id SERIAL PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (patient_id),
    weight_kg NUMERIC(5, 2) NOT NULL CHECK (weight_kg BETWEEN 0.2 AND 400),
    recorded_by UUID NOT NULL REFERENCES users (user_id),
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_patient_weights_patient ON patient_weights (patient_id, recorded_at DESC);

GRANT SELECT ON controlled_drug_counts, patient_weights TO clinic_app;
GRANT INSERT (medicine_id, counted_quantity, note, counted_by, witnessed_by) ON controlled_drug_counts TO clinic_app;
GRANT UPDATE (resolved_by, resolved_at, resolution) ON controlled_drug_counts TO clinic_app;
GRANT INSERT (patient_id, weight_kg, recorded_by) ON patient_weights TO clinic_app;
GRANT USAGE, SELECT ON SEQUENCE controlled_drug_counts_count_id_seq, patient_weights_weight_id_seq TO clinic_app;

DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['controlled_drug_counts', 'patient_weights'] LOOP
        EXECUTE pg_catalog.format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE pg_catalog.format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION audit_trigger_function()', t || '_audit', t);
        EXECUTE pg_catalog.format('CREATE POLICY %I ON %I FOR ALL USING ((SELECT ''admin'' = ANY (app_roles()))) WITH CHECK ((SELECT ''admin'' = ANY (app_roles())))', t || '_admin', t);
    END LOOP;
END;
$$;

-- Counts: pharmacists read the register's counts and enter counts as themselves; administrators resolve.
CREATE POLICY controlled_drug_counts_pharmacist_read ON controlled_drug_counts FOR SELECT USING ((SELECT 'pharmacist' = ANY (app_roles())));
CREATE POLICY controlled_drug_counts_pharmacist_count ON controlled_drug_counts FOR INSERT WITH CHECK (
    (SELECT 'pharmacist' = ANY (app_roles())) AND counted_by = app_current_user_id());

-- Weights: doctors, nurses and pharmacists read them for patients they can see; doctors and nurses record them as themselves.
CREATE POLICY patient_weights_clinical_read ON patient_weights FOR SELECT USING (
    (SELECT app_roles() && ARRAY['doctor', 'nurse', 'pharmacist']) AND app_can_see_patient(patient_id));
CREATE POLICY patient_weights_clinical_record ON patient_weights FOR INSERT WITH CHECK (
    (SELECT app_roles() && ARRAY['doctor', 'nurse']) AND recorded_by = app_current_user_id() AND app_can_see_patient(patient_id));

-- The audit row of a witness's sign-in (main has checked the password like a sign-in, counting
-- failures): it names the witness as its user and the person they witnessed for (the context user).
CREATE FUNCTION record_witness(p_witness UUID, p_action TEXT, p_terminal TEXT) RETURNS VOID
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    performer UUID := NULLIF(pg_catalog.current_setting('app.current_user_id', true), '')::UUID;
    witness_email TEXT;
BEGIN
    IF performer IS NULL THEN
        RAISE EXCEPTION 'a witness confirms the act of a signed-in user' USING ERRCODE = '42501';
    END IF;
    IF p_witness IS NULL OR p_witness = performer THEN
        RAISE EXCEPTION 'a witness must be another person' USING ERRCODE = '42501';
    END IF;
    IF p_action IS NULL OR p_action !~ '^[a-z0-9/-]{3,60}$' THEN
        RAISE EXCEPTION 'a witnessed action is named like a channel' USING ERRCODE = '22023';
    END IF;
    SELECT u.email INTO witness_email FROM public.users u WHERE u.user_id = p_witness AND u.is_active IS NOT FALSE;
    IF witness_email IS NULL THEN
        RAISE EXCEPTION 'the witness is no active user' USING ERRCODE = '42501';
    END IF;
    INSERT INTO public.audit_log (table_name, operation, user_id, new_values)
    VALUES ('auth', 'WITNESS', p_witness, pg_catalog.jsonb_build_object(
        'action', p_action, 'for_user', performer, 'email', witness_email,
        'terminal', pg_catalog.left(COALESCE(p_terminal, ''), 100), 'db_login', session_user::TEXT));
END;
$$;
REVOKE ALL ON FUNCTION record_witness(UUID, TEXT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION record_witness(UUID, TEXT, TEXT) TO clinic_app;

-- Speed (bench:pharmacy --profile): app_colleague_doctor_ids and app_my_room_ids filtered
-- "department_id = ANY (app_my_department_ids())", and a plpgsql function in a filter runs once per
-- scanned row — 15 doctors, 15 calls of two queries each, in every prescriptions policy check (a
-- dispense's ledger row updates its order under those policies). The departments are read once now;
-- the answers are the same.
CREATE OR REPLACE FUNCTION app_colleague_doctor_ids() RETURNS INTEGER[]
LANGUAGE plpgsql STABLE AS
$$
DECLARE
    mine pg_catalog.int4[] := public.app_my_department_ids();
    ids pg_catalog.int4[];
BEGIN
    SELECT COALESCE(pg_catalog.array_agg(d.doctor_id), '{}') INTO ids FROM public.doctors d
    WHERE d.user_id = public.app_current_user_id() OR d.department_id = ANY (mine);
    RETURN ids;
END;
$$;

CREATE OR REPLACE FUNCTION app_my_room_ids() RETURNS INTEGER[]
LANGUAGE plpgsql STABLE AS
$$
DECLARE
    mine pg_catalog.int4[] := public.app_my_department_ids();
    ids pg_catalog.int4[];
BEGIN
    SELECT COALESCE(pg_catalog.array_agg(r.room_id), '{}') INTO ids FROM public.rooms r WHERE r.department_id = ANY (mine);
    RETURN ids;
END;
$$;
