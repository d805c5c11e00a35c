-- 055 An allergy is marked entered in error with a reason (a reviewer's read of issue 10). Any doctor,
-- nurse or pharmacist who sees the patient may mark one (a mistaken entry), and until now nothing said why:
-- a life-threatening allergy another clinician recorded could be taken off the checks with no reason on
-- the record. The reason is now required for every client: a row marked from now on without one is
-- refused (NOT VALID: rows marked before this migration keep their empty reason; a mark is never undone,
-- so they are never checked again). The app's login may write the reason, as it writes who and when.
-- ADD COLUMN (nullable, no default) and ADD CONSTRAINT ... NOT VALID each take a brief lock, bounded by the
-- runner's lock_timeout; neither reads the table.
ALTER TABLE patient_allergies ADD COLUMN entered_in_error_reason VARCHAR(500);
ALTER TABLE patient_allergies ADD CONSTRAINT patient_allergies_error_has_reason
    CHECK (NOT entered_in_error OR pg_catalog.length(pg_catalog.btrim(COALESCE(entered_in_error_reason, ''))) >= 5) NOT VALID;
GRANT UPDATE (entered_in_error_reason) ON patient_allergies TO clinic_app;
