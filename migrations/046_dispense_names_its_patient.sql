-- 046 A ledger row names a patient only where it is about one (the attacker reviews of 044 and 045).
-- 1. A Dispense row names its order's own patient. One with no patient still counted against its order
--    (020 matched the order's patient only when one was given): such a row is missing from the
--    patient's audit history (audit_patient_rows), and nurses and doctors, who read a patient's
--    dispenses through that patient, never see it. Since 044 the order's own audit row no longer
--    records the count either, so the ledger row must name the patient itself.
-- 2. A Receive, Adjust or Dispose row names no order and no patient: it moves stock, and one that named
--    any order and patient was filed in that patient's audit history.
-- (A Return row already takes the patient of the dispenses it reverses, 024.) The app always wrote rows
-- this way; now the database refuses others, from any client. Only the two functions' bodies change (no
-- table lock); rows written before stay as they are.
-- 1.
CREATE OR REPLACE FUNCTION pharmacy_count_dispensed() RETURNS TRIGGER
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
    IF NEW.patient_id IS NULL THEN
        RAISE EXCEPTION 'a dispense names its patient' USING ERRCODE = '23502';
    END IF;
    UPDATE public.prescriptions
    SET dispensed_quantity = dispensed_quantity - NEW.quantity,
        status = CASE WHEN dispensed_quantity - NEW.quantity >= quantity THEN 'Dispensed' ELSE 'PartiallyDispensed' END
    WHERE prescription_id = NEW.prescription_id AND medicine_id = NEW.medicine_id AND patient_id = NEW.patient_id
      AND status IN ('Verified', 'PartiallyDispensed');
    IF NOT FOUND THEN
        RAISE EXCEPTION 'prescription % is not a verified order of this medicine for this patient', NEW.prescription_id USING ERRCODE = 'PH002';
    END IF;
    RETURN NULL;
END;
$$;

-- 2. 024's checks of every new ledger row, with the one above added after the reason check.
CREATE OR REPLACE FUNCTION pharmacy_check_movement() RETURNS TRIGGER
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
    IF NEW.transaction_type IN ('Receive', 'Adjust', 'Dispose') AND (NEW.prescription_id IS NOT NULL OR NEW.patient_id IS NOT NULL) THEN
        RAISE EXCEPTION 'a % row moves stock: it names no order and no patient', NEW.transaction_type USING ERRCODE = '23514';
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
END;$$;
