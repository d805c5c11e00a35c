-- migrate:no-transaction
-- squawk-disable-assume-in-transaction
-- 040 "Is this patient in a bed of mine?" is asked by every check of a nurse's or doctor's right to see a
-- patient (patients_clinical_read), several times in each bedside scan (issue 11's speed). The only
-- index that answered it was the exclusion constraint's GiST index on (patient, stay range), probed
-- 21 times per scan (bench:ward --profile). A btree on the open stays finds the patient's one row and
-- gives its room from the index (the nurse's rooms decide). room_assignments grows with every stay, so
-- the index is built CONCURRENTLY; dropping first repairs an INVALID one left by an interrupted build.
DROP INDEX CONCURRENTLY IF EXISTS idx_room_assignments_open_patient;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_room_assignments_open_patient ON room_assignments (patient_id) INCLUDE (room_id) WHERE discharged_at IS NULL;
