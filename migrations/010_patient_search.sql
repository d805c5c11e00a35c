-- 010 Patient search as the front desk types: name prefixes in either order, date of birth, phone,
-- patient number, a word inside a name, and one typo.
--
-- Row level security makes patients a security barrier: the planner may only use an index for a
-- condition built from LEAKPROOF operators. lower() and LIKE are not, so the lower-cased names are
-- stored (generated columns, "C" collation) and searched as ranges with the leakproof >= and <;
-- dates and numbers compare with leakproof "=". In "C" order the same indexes also return rows
-- already sorted, so a search reads only the rows it shows.

ALTER TABLE patients
    ADD COLUMN search_last TEXT COLLATE "C" GENERATED ALWAYS AS (lower(last_name)) STORED,
    ADD COLUMN search_first TEXT COLLATE "C" GENERATED ALWAYS AS (lower(first_name)) STORED;

CREATE INDEX idx_patients_search_last_first ON patients (search_last, search_first);
CREATE INDEX idx_patients_search_first_last ON patients (search_first, search_last);
CREATE INDEX idx_patients_date_of_birth ON patients (date_of_birth);
CREATE INDEX idx_patients_contact_number ON patients (contact_number text_pattern_ops);

GRANT SELECT (search_last, search_first) ON patients TO clinic_app;

-- "arci" inside "garcia", or "garsia" for "garcia", need trigram operators, which are not leakproof.
-- They run on this side table, which has no row level security and which the app cannot read: only
-- find_patient_ids_by_name() can, and it answers only the roles that may see every patient anyway
-- (front desk, admin), so it reveals nothing those users could not already see.
CREATE TABLE patient_name_search (
    patient_id INTEGER PRIMARY KEY REFERENCES patients(patient_id) ON DELETE CASCADE,
    full_name TEXT NOT NULL
);
CREATE INDEX idx_patient_name_search_trgm ON patient_name_search USING gin (full_name gin_trgm_ops);
INSERT INTO patient_name_search (patient_id, full_name) SELECT patient_id, lower(first_name || ' ' || last_name) FROM patients;

CREATE OR REPLACE FUNCTION patient_name_search_sync() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
BEGIN
    INSERT INTO patient_name_search (patient_id, full_name)
    VALUES (NEW.patient_id, lower(NEW.first_name || ' ' || NEW.last_name))
    ON CONFLICT (patient_id) DO UPDATE SET full_name = EXCLUDED.full_name;
    RETURN NEW;
END;
$$;
CREATE TRIGGER patients_name_search AFTER INSERT OR UPDATE OF first_name, last_name ON patients
    FOR EACH ROW EXECUTE FUNCTION patient_name_search_sync();

-- p_mode 'partial': every word inside the name; 'similar': the words within one typo (trigram
-- word similarity ≥ 0.45), best first.
CREATE OR REPLACE FUNCTION find_patient_ids_by_name(p_words TEXT[], p_mode TEXT, p_limit INTEGER)
RETURNS TABLE (patient_id INTEGER, score REAL)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
    phrase TEXT := array_to_string(p_words, ' ');
    patterns TEXT[];
BEGIN
    IF NOT (app_roles() && ARRAY['admin', 'front_desk']) THEN
        RETURN;
    END IF;
    IF p_mode = 'partial' THEN
        -- Longest word first: its pattern is the one the trigram index is searched with.
        SELECT array_agg('%' || replace(replace(replace(w, '\', '\\'), '%', '\%'), '_', '\_') || '%' ORDER BY length(w) DESC)
          INTO patterns FROM unnest(p_words) w;
        RETURN QUERY
            SELECT s.patient_id, 1::REAL FROM patient_name_search s
            WHERE s.full_name LIKE patterns[1] AND s.full_name LIKE ALL (patterns)
            ORDER BY s.full_name LIMIT LEAST(p_limit, 200);
    ELSE
        PERFORM set_config('pg_trgm.word_similarity_threshold', '0.45', true);
        RETURN QUERY
            SELECT s.patient_id, word_similarity(phrase, s.full_name) FROM patient_name_search s
            WHERE phrase <% s.full_name
            ORDER BY word_similarity(phrase, s.full_name) DESC, s.full_name LIMIT LEAST(p_limit, 200);
    END IF;
END;
$$;
REVOKE ALL ON FUNCTION find_patient_ids_by_name(TEXT[], TEXT, INTEGER) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_patient_ids_by_name(TEXT[], TEXT, INTEGER) TO clinic_app;
