-- 042 A lot's stock move is audited once, by its ledger row (issue 10's speed).
-- Every receipt, dispense, return, adjustment and disposal is a row of the append-only pharmacy ledger,
-- audited and chained like any row; its trigger then moves the lot's quantity_on_hand, and 020's guard
-- refuses every other way to change that number. The lot's own audit row for the move repeated the
-- ledger row (same lot, quantity, user and transaction): a quarter of a dispense's audit work. The
-- lot's audit trigger now leaves out exactly that UPDATE — made inside a trigger and changing nothing
-- but quantity_on_hand. A lot's creation, its deletion and every other change (number, expiry, supplier;
-- from any client or trigger) are audited as before.
-- A trigger's WHEN may look at OLD and NEW only if it fires on UPDATE alone: UPDATE gets its own trigger.
-- Both statements run in this migration's transaction (a brief lock on medicine_lots, bounded by lock_timeout).
DROP TRIGGER medicine_lots_audit ON medicine_lots;
CREATE TRIGGER medicine_lots_audit AFTER INSERT OR DELETE ON medicine_lots
    FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER medicine_lots_audit_changes AFTER UPDATE ON medicine_lots
    FOR EACH ROW
    WHEN (pg_catalog.pg_trigger_depth() = 0
          OR (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.-) 'quantity_on_hand'::pg_catalog.text)
             IS DISTINCT FROM (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.-) 'quantity_on_hand'::pg_catalog.text))
    EXECUTE FUNCTION audit_trigger_function();
