-- 005 Audit: the guide's audit_log and trigger, on every table holding patient data or stock.
-- The trigger runs as its owner (SECURITY DEFINER) so the app role needs no INSERT on audit_log,
-- and the acting user comes from the transaction-local app.current_user_id the app sets.
-- Rows are written in the same transaction as the change: a rollback leaves no audit row.

CREATE TABLE audit_log (
    log_id SERIAL PRIMARY KEY,
    table_name VARCHAR(50) NOT NULL,
    operation VARCHAR(10) NOT NULL,
    user_id UUID,
    old_values JSONB,
    new_values JSONB,
    timestamp TIMESTAMPTZ DEFAULT NOW()
);
CREATE INDEX idx_audit_log_table_time ON audit_log(table_name, timestamp);
CREATE INDEX idx_audit_log_user_time ON audit_log(user_id, timestamp);

CREATE OR REPLACE FUNCTION audit_trigger_function()
RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
BEGIN
    INSERT INTO audit_log (table_name, operation, user_id, old_values, new_values)
    VALUES (
        TG_TABLE_NAME,
        TG_OP,
        NULLIF(current_setting('app.current_user_id', true), '')::UUID,
        CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) ELSE NULL END,
        CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) ELSE NULL END
    );
    RETURN COALESCE(NEW, OLD);
END;
$$;

DO $$
DECLARE
    audited TEXT;
BEGIN
    FOREACH audited IN ARRAY ARRAY[
        'patients', 'appointments', 'medical_records', 'prescriptions', 'room_assignments',
        'billing', 'medicine', 'medicine_lots', 'pharmacy', 'ambulance_log',
        'users', 'user_roles', 'role_permissions'
    ] LOOP
        EXECUTE format(
            'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I '
            'FOR EACH ROW EXECUTE FUNCTION audit_trigger_function()',
            audited || '_audit', audited);
    END LOOP;
END;
$$;
