-- 053 A pharmacist verifying an order sees every course the patient is still taking (a reviewer's read of
-- issue 10). The checks run again at verification on the patient's current orders, and "current" counts
-- a dispensed order until its course ends (prescribed_at + duration_days, 30 days when none is given:
-- main/pharmacy/prescriptions.repository.ts, CURRENT_ORDER). The pharmacist's read of orders (020)
-- stopped at 90 days: a 180-day warfarin course dispensed 100 days ago was seen by the prescriber and
-- missed by the pharmacist, so an interaction or a duplicate fired at prescribing and not at verification.
-- The read now also holds a dispensed order whose course is still running: the same rule as the checks.
-- app_patient_has_prescription (037) evaluates this policy as clinic_pharmacy_scope, so the patients a
-- pharmacist may look up grow by the same rule; it reads duration_days for it.
-- ALTER POLICY keeps the policy's name, command and roles; its brief lock is bounded by the runner's lock_timeout.
GRANT SELECT (duration_days) ON prescriptions TO clinic_pharmacy_scope;
ALTER POLICY prescriptions_pharmacist_read ON prescriptions
    USING (( SELECT ('pharmacist'::text = ANY (app_roles())))
        AND ((status)::text IN ('Active', 'Queried', 'Verified', 'PartiallyDispensed')
             OR prescribed_at > (now() - '90 days'::interval)
             OR ((status)::text = 'Dispensed' AND prescribed_at + make_interval(days => COALESCE(duration_days, 30)) > now())));
