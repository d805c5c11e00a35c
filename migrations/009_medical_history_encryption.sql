-- 009 medical_history is encrypted at rest with pgcrypto (AES-256, OpenPGP symmetric, ASCII-armored
-- so the column keeps the guide's TEXT type). The key never lives in the database: the app passes it
-- per call from the OS keychain (README "Security model"). A CHECK refuses plaintext from any client.
--
-- The app role cannot read or write the column at all. Two functions can, for clinicians, on the
-- rows row level security lets the current user see; they are owned by clinic_phi, a role that is
-- neither owner, superuser nor BYPASSRLS, so the patients policies still apply inside them.

UPDATE patients SET medical_history = NULL WHERE medical_history = '';
ALTER TABLE patients ADD CONSTRAINT patients_medical_history_encrypted
    CHECK (medical_history IS NULL OR medical_history LIKE '-----BEGIN PGP MESSAGE-----%');

REVOKE SELECT, INSERT, UPDATE ON patients FROM clinic_app;
GRANT SELECT (patient_id, user_id, first_name, last_name, date_of_birth, gender, contact_number, address,
              email, created_at, department_id, updated_at) ON patients TO clinic_app;
GRANT INSERT (user_id, first_name, last_name, date_of_birth, gender, contact_number, address, email,
              department_id) ON patients TO clinic_app;
GRANT UPDATE (user_id, first_name, last_name, date_of_birth, gender, contact_number, address, email,
              department_id, updated_at) ON patients TO clinic_app;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_phi') THEN
        CREATE ROLE clinic_phi NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
END;
$$;
GRANT USAGE ON SCHEMA public TO clinic_phi;
-- What evaluating the patients policies needs, plus the one column it guards.
GRANT SELECT ON patients, appointments, room_assignments, prescriptions, users, user_roles, roles,
    staff, doctors, rooms TO clinic_phi;
GRANT UPDATE (medical_history, updated_at) ON patients TO clinic_phi;
GRANT EXECUTE ON FUNCTION app_current_user_id(), app_has_role(TEXT), app_my_department_ids(),
    app_my_doctor_ids(), app_colleague_doctor_ids(), app_my_room_ids() TO clinic_phi;
GRANT INSERT ON audit_log TO clinic_phi;
GRANT USAGE ON SEQUENCE audit_log_log_id_seq TO clinic_phi;

CREATE OR REPLACE FUNCTION read_medical_history(p_patient_id INTEGER, p_key TEXT)
RETURNS TEXT
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    armored TEXT;
BEGIN
    IF NOT (app_has_role('doctor') OR app_has_role('nurse') OR app_has_role('admin')) THEN
        RAISE EXCEPTION 'medical history is for clinical staff' USING ERRCODE = '42501';
    END IF;
    SELECT medical_history INTO armored FROM patients WHERE patient_id = p_patient_id; -- RLS-filtered
    RETURN CASE WHEN armored IS NULL THEN NULL ELSE pgp_sym_decrypt(dearmor(armored), p_key) END;
END;
$$;

CREATE OR REPLACE FUNCTION write_medical_history(p_patient_id INTEGER, p_history TEXT, p_key TEXT)
RETURNS BOOLEAN
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF NOT (app_has_role('doctor') OR app_has_role('admin')) THEN
        RAISE EXCEPTION 'only doctors write medical history' USING ERRCODE = '42501';
    END IF;
    UPDATE patients
       SET medical_history = CASE WHEN p_history IS NULL OR p_history = '' THEN NULL
                                  ELSE armor(pgp_sym_encrypt(p_history, p_key, 'cipher-algo=aes256, s2k-mode=3')) END,
           updated_at = now()
     WHERE patient_id = p_patient_id;                                                 -- RLS-filtered
    RETURN FOUND;
END;
$$;

-- Key rotation: re-encrypts every history under a new key in one transaction (administrators only,
-- who are the only ones whose RLS view covers every patient).
CREATE OR REPLACE FUNCTION rotate_medical_history_key(p_old_key TEXT, p_new_key TEXT)
RETURNS INTEGER
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    rotated INTEGER;
BEGIN
    IF NOT app_has_role('admin') THEN
        RAISE EXCEPTION 'only administrators rotate the key' USING ERRCODE = '42501';
    END IF;
    UPDATE patients
       SET medical_history = armor(pgp_sym_encrypt(pgp_sym_decrypt(dearmor(medical_history), p_old_key), p_new_key, 'cipher-algo=aes256, s2k-mode=3'))
     WHERE medical_history IS NOT NULL;
    GET DIAGNOSTICS rotated = ROW_COUNT;
    RETURN rotated;
END;
$$;

-- Handing a function to clinic_phi: a non-superuser owner (a hospital server) must be a member of
-- clinic_phi, and it keeps that membership to maintain these functions in later migrations (clinic_phi
-- holds nothing the owner does not); clinic_phi needs CREATE on the schema only for the hand-over.
DO $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       AND NOT pg_has_role(current_user, 'clinic_phi', 'USAGE') THEN -- from 16, CREATEROLE's own grant is ADMIN only
        GRANT clinic_phi TO CURRENT_USER;
    END IF;
END;
$$;
GRANT CREATE ON SCHEMA public TO clinic_phi;
ALTER FUNCTION read_medical_history(INTEGER, TEXT) OWNER TO clinic_phi;
ALTER FUNCTION write_medical_history(INTEGER, TEXT, TEXT) OWNER TO clinic_phi;
ALTER FUNCTION rotate_medical_history_key(TEXT, TEXT) OWNER TO clinic_phi;
REVOKE CREATE ON SCHEMA public FROM clinic_phi;
REVOKE ALL ON FUNCTION read_medical_history(INTEGER, TEXT), write_medical_history(INTEGER, TEXT, TEXT),
    rotate_medical_history_key(TEXT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION read_medical_history(INTEGER, TEXT), write_medical_history(INTEGER, TEXT, TEXT),
    rotate_medical_history_key(TEXT, TEXT) TO clinic_app;
