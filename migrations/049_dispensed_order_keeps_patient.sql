-- 049 An order from which anything was dispensed or given keeps its patient and medicine, for everyone
-- but the table's owner (an attacker's review after 047: an administrator could still move a dispensed
-- order to another patient; its Dispense rows and given doses then named one patient and counted
-- against another's order, and a label scanned at the bedside led to the wrong chart). An administrator
-- still amends anything else, audited; an order nothing has happened to yet may still be moved.
-- Only the function's body changes (no table lock). The EXISTS reads run with the caller's rights: an
-- administrator reads the whole ledger and MAR; no one else reaches this rule (the guard below refuses
-- their change of patient first, and only an administrator may change the medicine).

CREATE OR REPLACE FUNCTION prescriptions_guard_changes() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    dispensing_columns CONSTANT pg_catalog.text[] := ARRAY['status', 'verified_by', 'verified_at', 'queried_reason', 'queried_by', 'dispensed_quantity'];
    -- What a prescriber's own UPDATE may change: the state (with its rules above) and its cancellation.
    prescriber_columns CONSTANT pg_catalog.text[] := dispensing_columns || ARRAY['cancelled_reason', 'cancelled_by', 'cancelled_at'];
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
    -- What left the pharmacy for an order, or was given from it, stays that patient's and that medicine's:
    -- the ledger's Dispense rows and the MAR name them. The owner alone may (repairs, audited).
    IF (NEW.patient_id, NEW.medicine_id) IS DISTINCT FROM (OLD.patient_id, OLD.medicine_id)
       AND (OLD.dispensed_quantity > 0
            OR EXISTS (SELECT 1 FROM public.pharmacy ph WHERE ph.prescription_id = OLD.prescription_id)
            OR EXISTS (SELECT 1 FROM public.medication_administrations a WHERE a.prescription_id = OLD.prescription_id))
       AND NOT public.app_holds_owner_rights('public.prescriptions'::pg_catalog.regclass) THEN
        RAISE EXCEPTION 'order % has been dispensed or given: it keeps its patient and medicine (write a new order)', OLD.prescription_id
            USING ERRCODE = '42501';
    END IF;
    IF public.app_has_role('admin') THEN
        RETURN NEW;
    END IF;
    IF (NEW.patient_id, NEW.doctor_id, NEW.prescribed_at) IS DISTINCT FROM (OLD.patient_id, OLD.doctor_id, OLD.prescribed_at) THEN
        RAISE EXCEPTION 'a prescription keeps its patient, prescriber and date: write a new one' USING ERRCODE = '42501';
    END IF;
    IF public.app_has_role('doctor') AND OLD.doctor_id = ANY (public.app_my_doctor_ids()) THEN
        -- The prescriber cancels (the database stamps who and when); any other change to what was ordered
        -- is a new order that replaces this one, never an edit in place.
        IF (pg_catalog.to_jsonb(NEW) - prescriber_columns) IS DISTINCT FROM (pg_catalog.to_jsonb(OLD) - prescriber_columns) THEN
            RAISE EXCEPTION 'an order is changed by writing a new one that replaces it, not by editing it' USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
    END IF;
    IF (pg_catalog.to_jsonb(NEW) - dispensing_columns) IS DISTINCT FROM (pg_catalog.to_jsonb(OLD) - dispensing_columns) THEN
        RAISE EXCEPTION 'dispensing changes only %', pg_catalog.array_to_string(dispensing_columns, ', ') USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END;
$$;
