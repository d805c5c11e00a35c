-- 044 An order's dispensed count is audited once, by its ledger rows (issue 10's speed), as 042 did for
-- a lot's stock. Each dispense is a row of the append-only pharmacy ledger, audited and chained with its
-- order, patient, medicine, quantity and user; its trigger (pharmacy_count_dispensed) then adds the
-- quantity to the order's dispensed_quantity and sets its status (PartiallyDispensed or Dispensed), and
-- 020's guard refuses every other way to change that count. Both this exemption and that guard tell a
-- trigger's write by pg_trigger_depth(), which the app's login could fake with a temporary table's
-- trigger: 045 takes temporary objects away from it (the attacker's review of this migration). The order's own audit row for that UPDATE
-- repeated the ledger row: one of a dispense's three audit rows and chain links. The order's audit
-- trigger now leaves out exactly that UPDATE — made inside a trigger and changing nothing but
-- dispensed_quantity and status. An order's creation, its deletion and every other change (verifying,
-- querying, cancelling, completing, any edit; from any client, or from any trigger that changes more)
-- are audited as before.
-- A trigger's WHEN may look at OLD and NEW only if it fires on UPDATE alone: UPDATE gets its own trigger.
-- Both statements run in this migration's transaction (a brief lock on prescriptions, bounded by lock_timeout).
DROP TRIGGER prescriptions_audit ON prescriptions;
CREATE TRIGGER prescriptions_audit AFTER INSERT OR DELETE ON prescriptions
    FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER prescriptions_audit_changes AFTER UPDATE ON prescriptions
    FOR EACH ROW
    WHEN (pg_catalog.pg_trigger_depth() = 0
          OR (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.-) ARRAY['dispensed_quantity', 'status']::pg_catalog.text[])
             IS DISTINCT FROM (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.-) ARRAY['dispensed_quantity', 'status']::pg_catalog.text[]))
    EXECUTE FUNCTION audit_trigger_function();
