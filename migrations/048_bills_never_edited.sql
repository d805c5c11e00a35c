-- 048 A bill is never edited: it is voided with a reason and billed again (an attacker's review of 045).
-- 027's guard fixed a bill's amount, patient and source only once something was paid. Before that a
-- front-desk or billing context could, from any client, set an open bill's amount to 0: the bill then
-- showed Paid with no payment (audited, but a bill settled by an edit). The app never edits a bill: it
-- voids one (status Cancelled, with a reason), and payments move its paid amount (payments_apply). So an
-- UPDATE may now change only those: status, void_reason, paid_amount and payment_method, each still under
-- the rules above; anything else is refused for everyone but the owner (seed and repairs). Only the
-- function's body changes (no table lock).
CREATE OR REPLACE FUNCTION billing_guard_changes() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    -- What moves on a written bill: its state and void reason (voiding), its money (payments_apply).
    settled_columns CONSTANT pg_catalog.text[] := ARRAY['status', 'void_reason', 'paid_amount', 'payment_method'];
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.paid_amount <> 0 THEN
            RAISE EXCEPTION 'a new bill has nothing paid: payments are rows of the payments table' USING ERRCODE = '42501';
        END IF;
        IF NEW.status = 'Cancelled' OR NEW.status = 'Refunded' THEN
            RAISE EXCEPTION 'a new bill is open' USING ERRCODE = '23514';
        END IF;
        -- A pharmacist bills only what they dispense (020's policy): their lines are dispense lines.
        IF NEW.source = 'manual' AND public.app_has_role('pharmacist')
           AND NOT public.app_roles() && ARRAY['admin', 'front_desk', 'billing_clerk'] THEN
            NEW.source := 'dispense';
        END IF;
    ELSE
        IF OLD.status IN ('Cancelled', 'Refunded') AND NOT public.app_holds_owner_rights('public.billing'::pg_catalog.regclass) THEN
            RAISE EXCEPTION 'bill % is %: it no longer changes', OLD.bill_id, OLD.status USING ERRCODE = '23514';
        END IF;
        -- Only payments_apply (a trigger on payments) moves it: depth 2 or more.
        IF NEW.paid_amount IS DISTINCT FROM OLD.paid_amount AND pg_catalog.pg_trigger_depth() < 2 THEN
            RAISE EXCEPTION 'the paid amount changes only with a payment' USING ERRCODE = '42501';
        END IF;
        IF OLD.paid_amount > 0 AND (NEW.amount, NEW.patient_id, NEW.source, NEW.appointment_id, NEW.assignment_id)
               IS DISTINCT FROM (OLD.amount, OLD.patient_id, OLD.source, OLD.appointment_id, OLD.assignment_id) THEN
            RAISE EXCEPTION 'a bill with payments keeps its amount, patient and source' USING ERRCODE = '23514';
        END IF;
        -- What a bill charges is fixed once written (048): it is voided with a reason and billed again.
        IF (pg_catalog.to_jsonb(NEW) - settled_columns) IS DISTINCT FROM (pg_catalog.to_jsonb(OLD) - settled_columns)
           AND NOT public.app_holds_owner_rights('public.billing'::pg_catalog.regclass) THEN
            RAISE EXCEPTION 'a bill is not edited: void it with a reason and bill again' USING ERRCODE = '42501';
        END IF;
        IF NEW.status IS DISTINCT FROM OLD.status AND NEW.status = 'Cancelled' THEN
            IF OLD.paid_amount > 0 THEN
                RAISE EXCEPTION 'bill % has payments: it cannot be voided', OLD.bill_id USING ERRCODE = 'BIL02';
            END IF;
            IF pg_catalog.length(pg_catalog.btrim(COALESCE(NEW.void_reason, ''))) < 5 THEN
                RAISE EXCEPTION 'voiding a bill needs a reason' USING ERRCODE = '23514';
            END IF;
            RETURN NEW;
        END IF;
        IF NEW.status = 'Refunded' AND OLD.status <> 'Refunded' AND NOT public.app_holds_owner_rights('public.billing'::pg_catalog.regclass) THEN
            RAISE EXCEPTION 'refunds are not taken here' USING ERRCODE = '42501';
        END IF;
    END IF;
    -- The three open/paid states follow from the money (an unknown status is left for the CHECK to refuse).
    IF NEW.status IN ('Pending', 'PartiallyPaid', 'Paid') THEN
        NEW.status := CASE WHEN NEW.paid_amount >= NEW.amount THEN 'Paid'
                           WHEN NEW.paid_amount = 0 THEN 'Pending'
                           ELSE 'PartiallyPaid' END;
    END IF;
    RETURN NEW;
END;
$$;
