-- 017 The medical-history key is checked before it is used: a workstation holding another key can no
-- longer overwrite a history (which the right key then could not read) or rotate with a wrong old key.
--
-- medical_history_key (one row) holds:
--   key_check     a known text encrypted under the current key, exactly as a history is (pgcrypto,
--                 AES-256, salted and iterated S2K). A key matches when it opens this message. It tells
--                 an attacker no more than any stored history does: unlike a plain digest of the key it
--                 gives no fast way to test guesses, even if IT ever installed a weak passphrase.
--   key_id        a random name for the current key, written into every ciphertext's armor header
--                 ("Key-Id: ..."), so a history written under another key (a restored backup, a
--                 rotation done by hand) is named as such instead of failing as "corrupt".
--   legacy_sample one history written before this migration (ciphertext only), used once: the first key
--                 recorded must open it, so a wrong key cannot become "the" key of an upgraded database.
-- The key is recorded by the first write (or rotation) after this migration and changed only by
-- rotate_medical_history_key. The app role cannot read or change the table; only the functions below
-- (owned by clinic_phi, as in 009) can. Wrong key: SQLSTATE MHK01; a history under another key: MHK02.

CREATE TABLE medical_history_key (
    only_row      BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    key_id        TEXT CHECK (key_id ~ '^[0-9a-f]{16}$'),
    key_check     TEXT CHECK (key_check LIKE '-----BEGIN PGP MESSAGE-----%'),
    legacy_sample TEXT CHECK (legacy_sample LIKE '-----BEGIN PGP MESSAGE-----%'),
    changed_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((key_id IS NULL) = (key_check IS NULL)),
    CHECK (key_check IS NULL OR legacy_sample IS NULL)
);
REVOKE ALL ON medical_history_key FROM PUBLIC, clinic_app;
GRANT SELECT, UPDATE ON medical_history_key TO clinic_phi;
CREATE TRIGGER medical_history_key_audit AFTER INSERT OR UPDATE OR DELETE ON medical_history_key
    FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();

-- The owner looks past RLS (FORCEd on patients since 008) for one ciphertext, then restores FORCE. This
-- holds ACCESS EXCLUSIVE on patients until the file commits, for one scan that stops at the first
-- history (whole only where there is none: well under a second at a million patients); the runner's
-- lock_timeout keeps it from queueing behind users.
ALTER TABLE patients NO FORCE ROW LEVEL SECURITY;
INSERT INTO medical_history_key (legacy_sample)
    SELECT (SELECT medical_history FROM patients WHERE medical_history IS NOT NULL LIMIT 1);
ALTER TABLE patients FORCE ROW LEVEL SECURITY;

-- Whether a key opens an armored message (pgcrypto reports a wrong key as SQLSTATE 39000).
CREATE FUNCTION medical_history_key_opens(p_armored TEXT, p_key TEXT)
RETURNS BOOLEAN
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF p_armored IS NULL OR p_key IS NULL OR p_key = '' THEN
        RETURN FALSE;
    END IF;
    PERFORM pgp_sym_decrypt_bytea(dearmor(p_armored), p_key);
    RETURN TRUE;
EXCEPTION WHEN external_routine_invocation_exception THEN
    RETURN FALSE;
END;
$$;

-- One place for how a history is encrypted: AES-256, iterated and salted S2K, the key's id in the armor.
CREATE FUNCTION medical_history_encrypt(p_text TEXT, p_key TEXT, p_key_id TEXT)
RETURNS TEXT
LANGUAGE sql VOLATILE STRICT
SET search_path = pg_catalog, public, pg_temp
AS $$
    SELECT armor(pgp_sym_encrypt(p_text, p_key, 'cipher-algo=aes256, s2k-mode=3'), ARRAY['Key-Id'], ARRAY[p_key_id])
$$;

CREATE FUNCTION medical_history_key_check(p_key TEXT, p_key_id TEXT)
RETURNS TEXT
LANGUAGE sql VOLATILE STRICT
SET search_path = pg_catalog, public, pg_temp
AS $$ SELECT medical_history_encrypt('Clinic Workstation medical-history key check', p_key, p_key_id) $$;

CREATE OR REPLACE FUNCTION read_medical_history(p_patient_id INTEGER, p_key TEXT)
RETURNS TEXT
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    current_key medical_history_key%ROWTYPE;
    armored TEXT;
    written_under TEXT;
BEGIN
    IF NOT (app_has_role('doctor') OR app_has_role('nurse') OR app_has_role('admin')) THEN
        RAISE EXCEPTION 'medical history is for clinical staff' USING ERRCODE = '42501';
    END IF;
    SELECT * INTO current_key FROM medical_history_key;
    IF current_key.key_check IS NOT NULL AND NOT medical_history_key_opens(current_key.key_check, p_key) THEN
        RAISE EXCEPTION 'this is not the current medical-history key' USING ERRCODE = 'MHK01';
    END IF;
    SELECT medical_history INTO armored FROM patients WHERE patient_id = p_patient_id; -- RLS-filtered
    IF armored IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT value INTO written_under FROM pgp_armor_headers(armored) WHERE key = 'Key-Id';
    IF written_under IS NOT NULL AND written_under IS DISTINCT FROM current_key.key_id THEN
        RAISE EXCEPTION 'the medical history of patient % was written under another key (Key-Id %)', p_patient_id, written_under
            USING ERRCODE = 'MHK02';
    END IF;
    BEGIN
        RETURN pgp_sym_decrypt(dearmor(armored), p_key);
    EXCEPTION WHEN external_routine_invocation_exception THEN
        RAISE EXCEPTION 'the medical history of patient % does not open with this key', p_patient_id USING ERRCODE = 'MHK01';
    END;
END;
$$;

CREATE OR REPLACE FUNCTION write_medical_history(p_patient_id INTEGER, p_history TEXT, p_key TEXT)
RETURNS BOOLEAN
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    current_key medical_history_key%ROWTYPE;
    existing TEXT;
BEGIN
    IF NOT (app_has_role('doctor') OR app_has_role('admin')) THEN
        RAISE EXCEPTION 'only doctors write medical history' USING ERRCODE = '42501';
    END IF;
    -- Lock the key row: shared once a key is recorded (a rotation cannot swap it before this write
    -- commits), exclusive while none is (two first writers cannot record two keys).
    IF (SELECT key_check IS NULL FROM medical_history_key) THEN
        SELECT * INTO current_key FROM medical_history_key FOR UPDATE;
    ELSE
        SELECT * INTO current_key FROM medical_history_key FOR SHARE;
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'medical_history_key has lost its row; restore it before writing' USING ERRCODE = '55000';
    END IF;
    IF current_key.key_check IS NULL THEN
        -- The first key used after 017 is recorded, once it has opened what was stored before.
        SELECT medical_history INTO existing FROM patients WHERE patient_id = p_patient_id; -- RLS-filtered
        IF p_key IS NULL OR p_key = ''
           OR (current_key.legacy_sample IS NOT NULL AND NOT medical_history_key_opens(current_key.legacy_sample, p_key))
           OR (existing IS NOT NULL AND NOT medical_history_key_opens(existing, p_key)) THEN
            RAISE EXCEPTION 'this key does not open the medical histories already stored; nothing was written' USING ERRCODE = 'MHK01';
        END IF;
        current_key.key_id := encode(gen_random_bytes(8), 'hex');
        UPDATE medical_history_key
           SET key_id = current_key.key_id, key_check = medical_history_key_check(p_key, current_key.key_id),
               legacy_sample = NULL, changed_at = now();
    ELSIF NOT medical_history_key_opens(current_key.key_check, p_key) THEN
        RAISE EXCEPTION 'this is not the current medical-history key; nothing was written' USING ERRCODE = 'MHK01';
    END IF;
    UPDATE patients
       SET medical_history = CASE WHEN p_history IS NULL OR p_history = '' THEN NULL
                                  ELSE medical_history_encrypt(p_history, p_key, current_key.key_id) END,
           updated_at = now()
     WHERE patient_id = p_patient_id;                                                 -- RLS-filtered
    RETURN FOUND;
END;
$$;

-- Key rotation: re-encrypts every history under a new key and records the new key, in one transaction
-- (administrators only, whose RLS view covers every patient). A wrong old key changes nothing.
CREATE OR REPLACE FUNCTION rotate_medical_history_key(p_old_key TEXT, p_new_key TEXT)
RETURNS INTEGER
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    current_key medical_history_key%ROWTYPE;
    new_key_id TEXT := encode(gen_random_bytes(8), 'hex');
    rotated INTEGER;
BEGIN
    IF NOT app_has_role('admin') THEN
        RAISE EXCEPTION 'only administrators rotate the key' USING ERRCODE = '42501';
    END IF;
    IF p_new_key IS NULL OR length(p_new_key) < 32 OR p_new_key = p_old_key THEN
        RAISE EXCEPTION 'the new key must differ from the old one and have at least 32 characters (e.g. 32 random bytes, base64url)'
            USING ERRCODE = '22023';
    END IF;
    SELECT * INTO current_key FROM medical_history_key FOR UPDATE;    -- writes wait until the rotation ends
    IF NOT FOUND THEN
        RAISE EXCEPTION 'medical_history_key has lost its row; restore it before rotating' USING ERRCODE = '55000';
    END IF;
    IF (current_key.key_check IS NOT NULL AND NOT medical_history_key_opens(current_key.key_check, p_old_key))
       OR (current_key.legacy_sample IS NOT NULL AND NOT medical_history_key_opens(current_key.legacy_sample, p_old_key)) THEN
        RAISE EXCEPTION 'the old key is not the current medical-history key; nothing was changed' USING ERRCODE = 'MHK01';
    END IF;
    BEGIN
        UPDATE patients
           SET medical_history = medical_history_encrypt(pgp_sym_decrypt(dearmor(medical_history), p_old_key), p_new_key, new_key_id)
         WHERE medical_history IS NOT NULL;
        GET DIAGNOSTICS rotated = ROW_COUNT;
    EXCEPTION WHEN external_routine_invocation_exception THEN
        RAISE EXCEPTION 'a stored medical history does not open with the old key; nothing was changed' USING ERRCODE = 'MHK01';
    END;
    UPDATE medical_history_key
       SET key_id = new_key_id, key_check = medical_history_key_check(p_new_key, new_key_id),
           legacy_sample = NULL, changed_at = now();
    RETURN rotated;
END;
$$;

-- CREATE OR REPLACE kept the three functions' owner (clinic_phi, 009); the helpers join them. The
-- helpers run only inside those functions, as clinic_phi.
-- A new owner needs CREATE on the schema (PostgreSQL 15+), which clinic_phi holds only for the hand-over.
GRANT CREATE ON SCHEMA public TO clinic_phi;
ALTER FUNCTION medical_history_key_opens(TEXT, TEXT) OWNER TO clinic_phi;
ALTER FUNCTION medical_history_encrypt(TEXT, TEXT, TEXT) OWNER TO clinic_phi;
ALTER FUNCTION medical_history_key_check(TEXT, TEXT) OWNER TO clinic_phi;
REVOKE CREATE ON SCHEMA public FROM clinic_phi;
REVOKE ALL ON FUNCTION medical_history_key_opens(TEXT, TEXT), medical_history_encrypt(TEXT, TEXT, TEXT),
    medical_history_key_check(TEXT, TEXT), read_medical_history(INTEGER, TEXT),
    write_medical_history(INTEGER, TEXT, TEXT), rotate_medical_history_key(TEXT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION read_medical_history(INTEGER, TEXT), write_medical_history(INTEGER, TEXT, TEXT),
    rotate_medical_history_key(TEXT, TEXT) TO clinic_app;
