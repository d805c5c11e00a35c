-- 046 A dispense names its patient (the attacker's review of 044, its lesser finding). A Dispense row
-- with no patient still counted against its order (020 matched the order's patient only when one was
-- given): such a row is missing from the patient's audit history (audit_patient_rows), and nurses and
-- doctors, who read a patient's dispenses through that patient, never see it. Since 044 the order's
-- own audit row no longer records the count either, so the ledger row must name the patient itself.
-- The app always named it; now the database refuses a Dispense row without one, from any client.
-- Only the function's body changes (no table lock); rows written before stay as they are.
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
