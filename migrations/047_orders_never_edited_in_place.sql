-- 047 An order is never edited in place by its prescriber (issue 10: "cancel or change = a new order
-- replacing the old one, never an edit in place"; an attacker's review of 045). 020's guard let a doctor
-- change anything of their own order but its patient, prescriber and date: from any client, a verified,
-- part-dispensed order could get another medicine or quantity, and its dispensed units then counted
-- against what was never dispensed. The app only ever cancels (prescribing a change cancels the order it
-- replaces), so the prescriber's UPDATE may now change only the order's state (verified, queried and
-- dispensed columns, under the guard's own rules) and its cancellation; anything else is refused.
-- An administrator still may (audited). Only the function's body changes (no table lock).
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
