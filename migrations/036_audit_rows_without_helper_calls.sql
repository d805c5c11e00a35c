-- 036 Writing an audit row calls no helper in the common case (speed of issues 10 and 11). The audit
-- trigger asked audit_without_ciphertext for every row image, and the patient index asked
-- audit_patient_of for every audit row: SQL functions with a pinned search_path, so each call was a
-- function frame and a settings switch (four audited rows a dispense, two to five a scan). Now the
-- trigger asks audit_without_ciphertext only for an image that holds a PGP message (the only kind it
-- changes), and the patient index reads the patient id itself, by audit_patient_of's rule (which the
-- audit viewer's repository still follows). The rows written are the same.

CREATE OR REPLACE FUNCTION audit_trigger_function()
RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    old_image JSONB;
    new_image JSONB;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        old_image := pg_catalog.to_jsonb(OLD);
        IF pg_catalog.strpos(old_image::pg_catalog.text, '-----BEGIN PGP MESSAGE-----') > 0 THEN
            old_image := public.audit_without_ciphertext(old_image);
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        new_image := pg_catalog.to_jsonb(NEW);
        IF pg_catalog.strpos(new_image::pg_catalog.text, '-----BEGIN PGP MESSAGE-----') > 0 THEN
            new_image := public.audit_without_ciphertext(new_image);
        END IF;
    END IF;
    INSERT INTO public.audit_log (table_name, operation, user_id, old_values, new_values, db_login)
    VALUES (
        TG_TABLE_NAME,
        TG_OP,
        NULLIF(pg_catalog.current_setting('app.current_user_id', true), '')::pg_catalog.uuid,
        old_image,
        new_image,
        session_user
    );
    RETURN COALESCE(NEW, OLD);
END;
$$;
REVOKE ALL ON FUNCTION audit_trigger_function() FROM PUBLIC;

CREATE OR REPLACE FUNCTION audit_patient_row() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    -- audit_patient_of's rule: the new image's patient_id, else the old one's, when it is a plain number.
    said TEXT := COALESCE(NEW.new_values OPERATOR(pg_catalog.->>) 'patient_id', NEW.old_values OPERATOR(pg_catalog.->>) 'patient_id');
BEGIN
    IF said OPERATOR(pg_catalog.~) '^[0-9]{1,9}$' THEN
        INSERT INTO public.audit_patient_rows (log_id, patient_id) VALUES (NEW.log_id, said::INTEGER) ON CONFLICT (log_id) DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
REVOKE ALL ON FUNCTION audit_patient_row() FROM PUBLIC;
