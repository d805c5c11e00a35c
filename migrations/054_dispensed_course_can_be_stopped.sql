-- 054 A doctor stops a course that has been dispensed in full (a reviewer's read of issue 10). An order
-- moved from Dispensed only to Completed, so a running course (most of a ward's orders: dispensed in
-- full, given dose by dose) could not be stopped after a reaction, or changed to another dose: the MAR kept
-- laying out its doses. Dispensed may now go to Cancelled as the other open states may: by the prescriber
-- or an administrator, with a reason (prescriptions_stamp_cancel stamps who and when), and a change is a
-- new order replacing it. Nothing else of 050's rules changes; only the function's body is replaced (no
-- table lock).
CREATE OR REPLACE FUNCTION prescriptions_guard_changes() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    dispensing_columns CONSTANT pg_catalog.text[] := ARRAY['status', 'verified_by', 'verified_at', 'queried_reason', 'queried_by', 'dispensed_quantity'];
    -- What anyone's UPDATE may change (the owner's aside): the state (with its rules below) and its cancellation.
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
        OR (OLD.status = 'Dispensed' AND NEW.status IN ('Completed', 'Cancelled'))) THEN
        RAISE EXCEPTION 'a prescription cannot go from % to %', OLD.status, NEW.status USING ERRCODE = '23514';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status AND NEW.status IN ('PartiallyDispensed', 'Dispensed')
       AND (NEW.dispensed_quantity = 0 OR (NEW.status = 'Dispensed') <> (NEW.dispensed_quantity = NEW.quantity)) THEN
        RAISE EXCEPTION 'the status must match the quantity dispensed' USING ERRCODE = '23514';
    END IF;
    -- Who verified or queried, when and why, are written as it happens (the stamps below), never afterwards.
    IF ((NEW.verified_by, NEW.verified_at) IS DISTINCT FROM (OLD.verified_by, OLD.verified_at)
        AND NOT (NEW.status = 'Verified' AND OLD.status <> 'Verified'))
       OR ((NEW.queried_by, NEW.queried_reason) IS DISTINCT FROM (OLD.queried_by, OLD.queried_reason)
           AND NOT (NEW.status = 'Queried' AND OLD.status <> 'Queried')) THEN
        IF NOT public.app_holds_owner_rights('public.prescriptions'::pg_catalog.regclass) THEN
            RAISE EXCEPTION 'who verified or queried an order is recorded as it is verified or queried, never changed afterwards'
                USING ERRCODE = '42501';
        END IF;
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
    -- What was ordered is never edited in place, by anyone but the table's owner (repairs, audited): a
    -- change is a new order replacing this one, which a pharmacist verifies and checks again.
    IF (pg_catalog.to_jsonb(NEW) - prescriber_columns) IS DISTINCT FROM (pg_catalog.to_jsonb(OLD) - prescriber_columns) THEN
        IF NOT public.app_holds_owner_rights('public.prescriptions'::pg_catalog.regclass) THEN
            RAISE EXCEPTION 'an order is changed by writing a new one that replaces it, not by editing it' USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
    END IF;
    -- Below, only the state and the cancellation can differ. An administrator and the prescriber change
    -- both (the state under the rules above; the cancellation is stamped by prescriptions_stamp_cancel).
    IF public.app_has_role('admin') THEN
        RETURN NEW;
    END IF;
    IF public.app_has_role('doctor') AND OLD.doctor_id = ANY (public.app_my_doctor_ids()) THEN
        RETURN NEW;
    END IF;
    IF (NEW.cancelled_reason, NEW.cancelled_by, NEW.cancelled_at) IS DISTINCT FROM (OLD.cancelled_reason, OLD.cancelled_by, OLD.cancelled_at) THEN
        RAISE EXCEPTION 'dispensing changes only %', pg_catalog.array_to_string(dispensing_columns, ', ') USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END;
$$;
