-- 052 A replacement order is written for the patient of the order it replaces (a reviewer's read of
-- issue 10). A change is a new order that names the order it replaces; the prescriber's service then
-- cancels the old one in the same transaction. Nothing checked that the two were the same patient's: a
-- doctor's "Write a replacement" on a queried order of patient Y, clicked while prescribing for patient
-- X, wrote X's order and cancelled Y's, whose treatment stopped with a note pointing at another
-- patient's order. The service now refuses it with a clear error; this trigger refuses it for every
-- client. It reads the replaced order with the writer's rights: an order they cannot see is not one
-- they may replace (the owner, which seeds and repairs, sees every order).
-- CREATE TRIGGER takes a brief SHARE ROW EXCLUSIVE lock on prescriptions, bounded by the runner's lock_timeout.
CREATE FUNCTION prescriptions_replacement_same_patient() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    replaced_patient INTEGER;
BEGIN
    IF NEW.replaces_prescription_id IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT p.patient_id INTO replaced_patient FROM public.prescriptions p WHERE p.prescription_id = NEW.replaces_prescription_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'order % is not one you may replace', NEW.replaces_prescription_id USING ERRCODE = '42501';
    END IF;
    IF replaced_patient IS DISTINCT FROM NEW.patient_id THEN
        RAISE EXCEPTION 'order % is another patient''s: a replacement is written for the same patient', NEW.replaces_prescription_id
            USING ERRCODE = 'PH005';
    END IF;
    RETURN NEW;
END;
$$;
REVOKE ALL ON FUNCTION prescriptions_replacement_same_patient() FROM PUBLIC;

CREATE TRIGGER prescriptions_replacement_same_patient
    BEFORE INSERT OR UPDATE OF replaces_prescription_id, patient_id ON prescriptions
    FOR EACH ROW EXECUTE FUNCTION prescriptions_replacement_same_patient();
