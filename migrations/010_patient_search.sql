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
-- Names repeat (a million patients share a few thousand names), so those operators run on the small
-- table of distinct name words, and the patients are then found by equality on the indexed columns.
-- The word list has no row level security and the app cannot read it: only find_name_words() can,
-- and it answers only the roles that may see every patient anyway (front desk, admin).
CREATE TABLE patient_name_words (
    word TEXT COLLATE "C" PRIMARY KEY
);
CREATE INDEX idx_patient_name_words_trgm ON patient_name_words USING gin (word gin_trgm_ops);
INSERT INTO patient_name_words (word)
    SELECT search_last FROM patients UNION SELECT search_first FROM patients;

CREATE OR REPLACE FUNCTION patient_name_words_sync() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
BEGIN
    INSERT INTO patient_name_words (word) VALUES (NEW.search_last), (NEW.search_first) ON CONFLICT DO NOTHING;
    RETURN NEW;
END;
$$;
CREATE TRIGGER patients_name_words AFTER INSERT OR UPDATE OF first_name, last_name ON patients
    FOR EACH ROW EXECUTE FUNCTION patient_name_words_sync();

-- p_mode 'partial': words containing p_fragment; 'similar': words within about one typo of it
-- (trigram similarity >= 0.4), closest first.
CREATE OR REPLACE FUNCTION find_name_words(p_fragment TEXT, p_mode TEXT, p_limit INTEGER)
RETURNS TABLE (word TEXT)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
BEGIN
    IF NOT (app_roles() && ARRAY['admin', 'front_desk']) OR length(p_fragment) < 3 THEN
        RETURN;
    END IF;
    IF p_mode = 'partial' THEN
        RETURN QUERY
            SELECT w.word::TEXT FROM patient_name_words w
            WHERE w.word LIKE '%' || replace(replace(replace(p_fragment, '\', '\\'), '%', '\%'), '_', '\_') || '%'
            ORDER BY w.word LIMIT LEAST(p_limit, 100);
    ELSE
        PERFORM set_config('pg_trgm.similarity_threshold', '0.4', true);
        RETURN QUERY
            SELECT w.word::TEXT FROM patient_name_words w
            WHERE w.word % p_fragment
            ORDER BY similarity(w.word, p_fragment) DESC, w.word LIMIT LEAST(p_limit, 100);
    END IF;
END;
$$;
REVOKE ALL ON FUNCTION find_name_words(TEXT, TEXT, INTEGER) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_name_words(TEXT, TEXT, INTEGER) TO clinic_app;
