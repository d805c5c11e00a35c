-- migrate:no-transaction
-- squawk-disable-assume-in-transaction
-- 030 The pharmacy ledger's grid and reports (issue 10) filter by date, person and patient over a table
-- a live hospital has full, so its indexes are built CONCURRENTLY, outside a transaction; dropping first
-- repairs an INVALID index left by an interrupted build. It also validates the foreign keys 024 and 025
-- added NOT VALID (a scan under SHARE UPDATE EXCLUSIVE: reads and writes go on); validating a valid
-- constraint again is a no-op, so a rerun is safe.
DROP INDEX CONCURRENTLY IF EXISTS idx_pharmacy_date;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_pharmacy_date ON pharmacy (transaction_date, transaction_id);
DROP INDEX CONCURRENTLY IF EXISTS idx_pharmacy_performer;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_pharmacy_performer ON pharmacy (performed_by, transaction_date);
DROP INDEX CONCURRENTLY IF EXISTS idx_pharmacy_patient;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_pharmacy_patient ON pharmacy (patient_id);
-- squawk-ignore prefer-robust-stmts
ALTER TABLE pharmacy VALIDATE CONSTRAINT pharmacy_witnessed_by_fk;
-- squawk-ignore prefer-robust-stmts
ALTER TABLE prescriptions VALIDATE CONSTRAINT prescriptions_cancelled_by_fk;
-- squawk-ignore prefer-robust-stmts
ALTER TABLE medical_records VALIDATE CONSTRAINT medical_records_corrects_fk;
-- squawk-ignore prefer-robust-stmts
ALTER TABLE medical_records VALIDATE CONSTRAINT medical_records_entered_in_error_by_fk;
