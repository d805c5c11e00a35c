-- 021 Validates the constraints 020 added NOT VALID (already enforced for new rows): a scan that
-- holds only SHARE UPDATE EXCLUSIVE, so reads and writes go on while it runs.
ALTER TABLE medicine VALIDATE CONSTRAINT medicine_max_daily_dose_positive;
ALTER TABLE prescriptions VALIDATE CONSTRAINT prescriptions_replaces_fk;
ALTER TABLE prescriptions VALIDATE CONSTRAINT prescriptions_verified_by_fk;
ALTER TABLE prescriptions VALIDATE CONSTRAINT prescriptions_queried_by_fk;
ALTER TABLE prescriptions VALIDATE CONSTRAINT prescriptions_route_known;
ALTER TABLE prescriptions VALIDATE CONSTRAINT prescriptions_urgency_known;
ALTER TABLE prescriptions VALIDATE CONSTRAINT prescriptions_frequency_known;
ALTER TABLE prescriptions VALIDATE CONSTRAINT prescriptions_interval_given;
ALTER TABLE prescriptions VALIDATE CONSTRAINT prescriptions_prn_limits;
ALTER TABLE prescriptions VALIDATE CONSTRAINT prescriptions_dose_positive;
ALTER TABLE prescriptions VALIDATE CONSTRAINT prescriptions_dispensed_within_quantity;
ALTER TABLE prescriptions VALIDATE CONSTRAINT prescriptions_status_check;
