-- 027 Operations (issue 12, the hospital's services): billing, housekeeping, ambulance, and the roles
-- that do that work.
--   * three roles: billing_clerk (bills, payments, invoices), dispatcher (ambulance runs and the fleet's
--     state), housekeeping (the cleaning queue); four permissions for their channels.
--   * billing: a fee per department (departments.consultation_fee); a bill line says where it came from
--     (appointment, dispense, bed-days, manual) and names its appointment or stay; payments are rows of
--     the append-only `payments` table, and a bill's paid_amount and status move only with them
--     (billing_guard_changes / payments_apply): Pending → PartiallyPaid → Paid, or Cancelled (void,
--     with a reason, only while nothing is paid). The CHECK paid_amount <= amount and the row lock of
--     that UPDATE keep concurrent payments from paying a bill twice.
--   * cleaning_service: transitions Scheduled → InProgress → Completed, or Skipped with a reason (never
--     for a bed a patient has left: Discharge, Isolation, Spill); the times are the database's; a
--     task is due at cleaning_due_at(type, scheduled_at), the one rule of "overdue". A bed's state
--     stays ward_bed_states' (022): a bed is free again when its task is Completed.
--   * ambulance_log: Dispatched → EnRoute → Arrived → Returned (or Cancelled), times from the database;
--     the vehicle is OnCall while a run is open and Available when it ends (ambulance_log_sync_vehicle);
--     one open run per vehicle is a partial unique index (029), so no client can dispatch it twice.
--   * row level security for each new caller: billing_clerk reads patients, appointments and stays
--     (what bills are made from) and writes bills; dispatcher reads patients (a run names one when
--     known) and writes runs and the fleet's state; housekeeping reads and writes the cleaning queue.
-- CHECKs and foreign keys on existing tables are added NOT VALID; 029 validates them and builds the
-- indexes CONCURRENTLY.

-- Roles and permissions --------------------------------------------------------------------------
INSERT INTO roles (role_name, description) VALUES
    ('billing_clerk', 'Bills patients, takes payments and prints invoices'),
    ('dispatcher',    'Dispatches ambulances, records their runs and the fleet''s state'),
    ('housekeeping',  'Cleans rooms and beds and records the cleaning');

INSERT INTO permissions (permission_name, description) VALUES
    ('ambulance.read',     'See the ambulance fleet, its runs and response times'),
    ('ambulance.dispatch', 'Dispatch ambulances, update runs and the fleet''s state'),
    ('cleaning.read',      'See the cleaning queue'),
    ('cleaning.write',     'Start, complete and skip cleaning tasks, and plan routine cleaning');

INSERT INTO role_permissions (role_id, permission_id)
SELECT r.role_id, p.permission_id
FROM (VALUES
    ('admin', 'ambulance.read'), ('admin', 'ambulance.dispatch'), ('admin', 'cleaning.read'), ('admin', 'cleaning.write'),
    ('billing_clerk', 'patients.read'), ('billing_clerk', 'billing.read'), ('billing_clerk', 'billing.write'),
    ('dispatcher', 'patients.read'), ('dispatcher', 'ambulance.read'), ('dispatcher', 'ambulance.dispatch'),
    ('housekeeping', 'cleaning.read'), ('housekeeping', 'cleaning.write')
) AS grant_list(role_name, permission_name)
JOIN roles r ON r.role_name = grant_list.role_name
JOIN permissions p ON p.permission_name = grant_list.permission_name;

-- Staff of the new kinds (a catalog change; 029 validates the existing rows).
ALTER TABLE staff DROP CONSTRAINT staff_role_check;
ALTER TABLE staff ADD CONSTRAINT staff_role_check CHECK (
    role IN ('doctor', 'nurse', 'pharmacist', 'front_desk', 'admin', 'cleaner', 'driver', 'technician', 'billing', 'dispatcher')) NOT VALID;

-- Who reads what bills are made of, and who a run is for --------------------------------------
CREATE POLICY patients_operations_read ON patients FOR SELECT USING ((SELECT app_roles() && ARRAY['billing_clerk', 'dispatcher']));
CREATE POLICY appointments_billing_read ON appointments FOR SELECT USING ((SELECT 'billing_clerk' = ANY (app_roles())));
CREATE POLICY room_assignments_billing_read ON room_assignments FOR SELECT USING ((SELECT 'billing_clerk' = ANY (app_roles())));

-- Billing ------------------------------------------------------------------------------------------
ALTER TABLE departments ADD COLUMN consultation_fee NUMERIC(10, 2) NOT NULL DEFAULT 0;
ALTER TABLE departments ADD CONSTRAINT departments_consultation_fee_check CHECK (consultation_fee >= 0 AND consultation_fee <= 100000) NOT VALID;

ALTER TABLE billing ADD COLUMN source VARCHAR(20) NOT NULL DEFAULT 'manual';
ALTER TABLE billing ADD COLUMN assignment_id INTEGER;
ALTER TABLE billing ADD COLUMN quantity NUMERIC(10, 2);
ALTER TABLE billing ADD COLUMN unit_price NUMERIC(12, 2);
ALTER TABLE billing ADD COLUMN void_reason VARCHAR(300);
ALTER TABLE billing ADD CONSTRAINT billing_source_known CHECK (source IN ('manual', 'appointment', 'dispense', 'bed-days')) NOT VALID;
ALTER TABLE billing ADD CONSTRAINT billing_source_reference CHECK (
    (source <> 'appointment' OR appointment_id IS NOT NULL) AND (source <> 'bed-days' OR assignment_id IS NOT NULL)) NOT VALID;
ALTER TABLE billing ADD CONSTRAINT billing_void_reason CHECK (status <> 'Cancelled' OR void_reason IS NOT NULL) NOT VALID;
ALTER TABLE billing ADD CONSTRAINT billing_assignment_fk FOREIGN KEY (assignment_id) REFERENCES room_assignments (assignment_id) NOT VALID;

CREATE POLICY billing_clerk_read ON billing FOR SELECT USING ((SELECT 'billing_clerk' = ANY (app_roles())));
CREATE POLICY billing_clerk_write ON billing FOR INSERT WITH CHECK ((SELECT 'billing_clerk' = ANY (app_roles())));
CREATE POLICY billing_clerk_update ON billing FOR UPDATE
    USING ((SELECT 'billing_clerk' = ANY (app_roles()))) WITH CHECK ((SELECT 'billing_clerk' = ANY (app_roles())));

-- What can be billed, priced once for every caller (security_invoker: the caller's row level security
-- decides what they see). A seen appointment costs its department's fee (its own department's, else
-- its doctor's); a finished stay in a bed costs the room type's daily rate × the days admitted: the
-- midnights spent in that bed, and one day for a stay that never spans a midnight.
CREATE VIEW billable_appointments WITH (security_invoker = true) AS
SELECT a.appointment_id, a.patient_id, a.appointment_date, d.consultation_fee AS amount,
       'Consultation, ' || d.name || ' (' || pg_catalog.to_char(a.appointment_date, 'YYYY-MM-DD') || ')' AS description,
       NOT EXISTS (SELECT 1 FROM public.billing b WHERE b.source = 'appointment' AND b.appointment_id = a.appointment_id
                   AND b.status <> 'Cancelled') AS unbilled
FROM public.appointments a
LEFT JOIN public.doctors doc ON doc.doctor_id = a.doctor_id
JOIN public.departments d ON d.department_id = COALESCE(a.department_id, doc.department_id)
WHERE a.status IN ('CheckedIn', 'Completed');

CREATE VIEW billable_stays WITH (security_invoker = true) AS
SELECT ra.assignment_id, ra.patient_id, ra.discharged_at, n.days, rt.daily_rate, n.days * rt.daily_rate AS amount,
       'Bed-days, ' || rt.type_name || ' (room ' || r.room_number || ', ' || pg_catalog.to_char(ra.assigned_at, 'YYYY-MM-DD')
           || ' to ' || pg_catalog.to_char(ra.discharged_at, 'YYYY-MM-DD') || ')' AS description,
       NOT EXISTS (SELECT 1 FROM public.billing b WHERE b.source = 'bed-days' AND b.assignment_id = ra.assignment_id
                   AND b.status <> 'Cancelled') AS unbilled
FROM public.room_assignments ra
JOIN public.rooms r ON r.room_id = ra.room_id
JOIN public.room_types rt ON rt.room_type_id = r.room_type_id
CROSS JOIN LATERAL (SELECT GREATEST(ra.discharged_at::date - ra.assigned_at::date,
        CASE WHEN ra.transferred_from_id IS NULL AND ra.discharge_destination IS DISTINCT FROM 'transfer' THEN 1 ELSE 0 END) AS days) n
WHERE ra.discharged_at IS NOT NULL;
GRANT SELECT ON billable_appointments, billable_stays TO clinic_app;

-- Bill one appointment or stay as priced above, as the user in context (null: not billable, or billed).
CREATE FUNCTION bill_appointment(p_appointment_id INTEGER) RETURNS INTEGER
LANGUAGE sql
SET search_path = pg_catalog, public, pg_temp
AS $$
    INSERT INTO public.billing (patient_id, appointment_id, description, amount, quantity, unit_price, source, created_by)
    SELECT v.patient_id, v.appointment_id, v.description, v.amount, 1, v.amount, 'appointment', public.app_current_user_id()
    FROM public.billable_appointments v WHERE v.appointment_id = p_appointment_id AND v.unbilled
    RETURNING bill_id
$$;
CREATE FUNCTION bill_stay(p_assignment_id INTEGER) RETURNS INTEGER
LANGUAGE sql
SET search_path = pg_catalog, public, pg_temp
AS $$
    INSERT INTO public.billing (patient_id, assignment_id, description, amount, quantity, unit_price, source, created_by)
    SELECT v.patient_id, v.assignment_id, v.description, v.amount, v.days, v.daily_rate, 'bed-days', public.app_current_user_id()
    FROM public.billable_stays v WHERE v.assignment_id = p_assignment_id AND v.unbilled AND v.days > 0
    RETURNING bill_id
$$;
REVOKE ALL ON FUNCTION bill_appointment(INTEGER), bill_stay(INTEGER) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bill_appointment(INTEGER), bill_stay(INTEGER) TO clinic_app;

-- Payments: one row per payment taken, never changed; a correction is a void of the bill.
CREATE TABLE payments (
    payment_id SERIAL PRIMARY KEY,
    bill_id INTEGER NOT NULL REFERENCES billing (bill_id),
    amount NUMERIC(12, 2) NOT NULL CHECK (amount > 0 AND amount <= 1000000),
    method VARCHAR(20) NOT NULL CHECK (method IN ('cash', 'card', 'insurance')),
    -- The card slip or the insurer's claim number; an insurance payment always has one.
    reference VARCHAR(100) CHECK (reference IS NULL OR pg_catalog.length(pg_catalog.btrim(reference)) > 0),
    received_by UUID NOT NULL REFERENCES users (user_id),
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (method <> 'insurance' OR reference IS NOT NULL)
);
CREATE INDEX idx_payments_bill ON payments (bill_id);
GRANT SELECT, INSERT ON payments TO clinic_app;
GRANT USAGE, SELECT ON SEQUENCE payments_payment_id_seq TO clinic_app;
ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE payments FORCE ROW LEVEL SECURITY;
CREATE TRIGGER payments_audit AFTER INSERT OR UPDATE OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE POLICY payments_admin_read ON payments FOR SELECT USING ((SELECT 'admin' = ANY (app_roles())));
-- Those who see bills see their payments (the subquery is RLS-filtered); billing.write takes them, as oneself.
CREATE POLICY payments_billing_read ON payments FOR SELECT USING (
    (SELECT app_roles() && ARRAY['front_desk', 'billing_clerk'])
    AND EXISTS (SELECT 1 FROM public.billing b WHERE b.bill_id = payments.bill_id));
CREATE POLICY payments_billing_take ON payments FOR INSERT WITH CHECK (
    (SELECT app_has_permission('billing.write')) AND received_by = app_current_user_id()
    AND EXISTS (SELECT 1 FROM public.billing b WHERE b.bill_id = payments.bill_id));
CREATE POLICY payments_owner_read ON payments FOR SELECT USING ((SELECT app_holds_owner_rights('public.payments')));
CREATE POLICY payments_owner_insert ON payments FOR INSERT WITH CHECK ((SELECT app_holds_owner_rights('public.payments')));

-- A bill's money and status move only with payments; the source and amount are fixed once paid.
CREATE FUNCTION billing_guard_changes() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.paid_amount <> 0 THEN
            RAISE EXCEPTION 'a new bill has nothing paid: payments are rows of the payments table' USING ERRCODE = '42501';
        END IF;
        IF NEW.status = 'Cancelled' OR NEW.status = 'Refunded' THEN
            RAISE EXCEPTION 'a new bill is open' USING ERRCODE = '23514';
        END IF;
        -- A pharmacist bills only what they dispense (020's policy): their lines are dispense lines.
        IF NEW.source = 'manual' AND public.app_has_role('pharmacist')
           AND NOT public.app_roles() && ARRAY['admin', 'front_desk', 'billing_clerk'] THEN
            NEW.source := 'dispense';
        END IF;
    ELSE
        IF OLD.status IN ('Cancelled', 'Refunded') AND NOT public.app_holds_owner_rights('public.billing'::pg_catalog.regclass) THEN
            RAISE EXCEPTION 'bill % is %: it no longer changes', OLD.bill_id, OLD.status USING ERRCODE = '23514';
        END IF;
        -- Only payments_apply (a trigger on payments) moves it: depth 2 or more.
        IF NEW.paid_amount IS DISTINCT FROM OLD.paid_amount AND pg_catalog.pg_trigger_depth() < 2 THEN
            RAISE EXCEPTION 'the paid amount changes only with a payment' USING ERRCODE = '42501';
        END IF;
        IF OLD.paid_amount > 0 AND (NEW.amount, NEW.patient_id, NEW.source, NEW.appointment_id, NEW.assignment_id)
               IS DISTINCT FROM (OLD.amount, OLD.patient_id, OLD.source, OLD.appointment_id, OLD.assignment_id) THEN
            RAISE EXCEPTION 'a bill with payments keeps its amount, patient and source' USING ERRCODE = '23514';
        END IF;
        IF NEW.status IS DISTINCT FROM OLD.status AND NEW.status = 'Cancelled' THEN
            IF OLD.paid_amount > 0 THEN
                RAISE EXCEPTION 'bill % has payments: it cannot be voided', OLD.bill_id USING ERRCODE = 'BIL02';
            END IF;
            IF pg_catalog.length(pg_catalog.btrim(COALESCE(NEW.void_reason, ''))) < 5 THEN
                RAISE EXCEPTION 'voiding a bill needs a reason' USING ERRCODE = '23514';
            END IF;
            RETURN NEW;
        END IF;
        IF NEW.status = 'Refunded' AND OLD.status <> 'Refunded' AND NOT public.app_holds_owner_rights('public.billing'::pg_catalog.regclass) THEN
            RAISE EXCEPTION 'refunds are not taken here' USING ERRCODE = '42501';
        END IF;
    END IF;
    -- The three open/paid states follow from the money (an unknown status is left for the CHECK to refuse).
    IF NEW.status IN ('Pending', 'PartiallyPaid', 'Paid') THEN
        NEW.status := CASE WHEN NEW.paid_amount >= NEW.amount THEN 'Paid'
                           WHEN NEW.paid_amount = 0 THEN 'Pending'
                           ELSE 'PartiallyPaid' END;
    END IF;
    RETURN NEW;
END;
$$;
REVOKE ALL ON FUNCTION billing_guard_changes() FROM PUBLIC;
CREATE TRIGGER billing_guard_changes BEFORE INSERT OR UPDATE ON billing
    FOR EACH ROW EXECUTE FUNCTION billing_guard_changes();

-- A payment adds to its bill, with the caller's rights (RLS decides who may); only an open bill,
-- never beyond what it owes (billing's CHECK paid_amount <= amount, under the row's lock).
CREATE FUNCTION payments_apply() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    UPDATE public.billing SET paid_amount = paid_amount + NEW.amount,
           payment_method = NEW.method
    WHERE bill_id = NEW.bill_id AND status IN ('Pending', 'PartiallyPaid');
    IF NOT FOUND THEN
        RAISE EXCEPTION 'bill % is not open for payment', NEW.bill_id USING ERRCODE = 'BIL01';
    END IF;
    RETURN NULL;
END;
$$;
REVOKE ALL ON FUNCTION payments_apply() FROM PUBLIC;
CREATE TRIGGER payments_apply AFTER INSERT ON payments FOR EACH ROW EXECUTE FUNCTION payments_apply();

-- Append-only for everyone but the owner (the app role has no UPDATE or DELETE grant either).
CREATE FUNCTION payments_refuse_changes() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF NOT public.app_holds_owner_rights('public.payments'::pg_catalog.regclass) THEN
        RAISE EXCEPTION 'payments are append-only' USING ERRCODE = '42501';
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$;
REVOKE ALL ON FUNCTION payments_refuse_changes() FROM PUBLIC;
CREATE TRIGGER payments_refuse_changes BEFORE UPDATE OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION payments_refuse_changes();

-- Cleaning ----------------------------------------------------------------------------------------
ALTER TABLE cleaning_service ADD COLUMN started_at TIMESTAMPTZ;
ALTER TABLE cleaning_service ADD COLUMN skip_reason VARCHAR(300);
-- The day a Routine task was planned for: one routine clean per room and day (029's unique index).
ALTER TABLE cleaning_service ADD COLUMN routine_day DATE;
ALTER TABLE cleaning_service ADD CONSTRAINT cleaning_service_skip_reason CHECK (status <> 'Skipped' OR skip_reason IS NOT NULL) NOT VALID;

-- When a task is due: the one rule of "overdue". A bed a patient has left is wanted back soon.
CREATE FUNCTION cleaning_due_at(p_type TEXT, p_scheduled_at TIMESTAMPTZ) RETURNS TIMESTAMPTZ
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, public, pg_temp
AS $$
    SELECT p_scheduled_at + CASE p_type WHEN 'Spill' THEN INTERVAL '30 minutes'
                                        WHEN 'Discharge' THEN INTERVAL '1 hour'
                                        WHEN 'Isolation' THEN INTERVAL '2 hours'
                                        WHEN 'Deep' THEN INTERVAL '4 hours'
                                        ELSE INTERVAL '8 hours' END
$$;
GRANT EXECUTE ON FUNCTION cleaning_due_at(TEXT, TIMESTAMPTZ) TO clinic_app;

CREATE FUNCTION cleaning_service_guard_changes() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF public.app_holds_owner_rights('public.cleaning_service'::pg_catalog.regclass) AND public.app_current_user_id() IS NULL THEN
        RETURN NEW; -- the owner with no user context (a DBA, the demo history) writes as given
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'Scheduled' OR NEW.started_at IS NOT NULL OR NEW.completed_at IS NOT NULL THEN
            RAISE EXCEPTION 'a new cleaning task is scheduled' USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
    END IF;
    IF (NEW.room_id, NEW.bed_number, NEW.cleaning_type, NEW.scheduled_at, NEW.routine_day)
       IS DISTINCT FROM (OLD.room_id, OLD.bed_number, OLD.cleaning_type, OLD.scheduled_at, OLD.routine_day) THEN
        RAISE EXCEPTION 'a cleaning task keeps its room, bed, kind and time: schedule another' USING ERRCODE = '23514';
    END IF;
    IF NEW.status IS NOT DISTINCT FROM OLD.status THEN
        IF (NEW.started_at, NEW.completed_at, NEW.skip_reason) IS DISTINCT FROM (OLD.started_at, OLD.completed_at, OLD.skip_reason) THEN
            RAISE EXCEPTION 'the times of a cleaning task are the database''s' USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
    END IF;
    IF NOT ((OLD.status = 'Scheduled' AND NEW.status IN ('InProgress', 'Completed', 'Skipped'))
            OR (OLD.status = 'InProgress' AND NEW.status IN ('Completed', 'Skipped'))) THEN
        RAISE EXCEPTION 'a cleaning task cannot go from % to %', OLD.status, NEW.status USING ERRCODE = 'CLN01';
    END IF;
    NEW.staff_id := COALESCE(NEW.staff_id,
        (SELECT s.staff_id FROM public.staff s WHERE s.user_id = public.app_current_user_id() AND s.is_active LIMIT 1));
    IF NEW.status = 'InProgress' THEN
        NEW.started_at := pg_catalog.now();
    ELSIF NEW.status = 'Completed' THEN
        NEW.completed_at := pg_catalog.now();
    ELSE
        IF OLD.cleaning_type IN ('Discharge', 'Isolation', 'Spill') THEN
            RAISE EXCEPTION 'a % clean is never skipped: the bed stays closed until it is done', pg_catalog.lower(OLD.cleaning_type) USING ERRCODE = 'CLN02';
        END IF;
        IF pg_catalog.length(pg_catalog.btrim(COALESCE(NEW.skip_reason, ''))) < 5 THEN
            RAISE EXCEPTION 'skipping a cleaning task needs a reason' USING ERRCODE = '23514';
        END IF;
        NEW.completed_at := pg_catalog.now();
    END IF;
    RETURN NEW;
END;
$$;
REVOKE ALL ON FUNCTION cleaning_service_guard_changes() FROM PUBLIC;
CREATE TRIGGER cleaning_service_guard_changes BEFORE INSERT OR UPDATE ON cleaning_service
    FOR EACH ROW EXECUTE FUNCTION cleaning_service_guard_changes();
CREATE TRIGGER cleaning_service_audit AFTER INSERT OR UPDATE OR DELETE ON cleaning_service
    FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();

-- The ward's bed state (022), one change: a Routine clean is done around the patients and does not
-- close a bed; a bed is "to clean" while a Discharge, Deep, Spill or Isolation clean is open. (Else
-- planning the day's routine cleans would close every bed of the hospital to admissions.)
CREATE OR REPLACE FUNCTION ward_bed_states(p_department_id INTEGER)
RETURNS TABLE (room_id INTEGER, room_number VARCHAR, department_id INTEGER, floor SMALLINT, room_type VARCHAR,
               bed_number INTEGER, state TEXT, assignment_id INTEGER, cleaning_id INTEGER)
LANGUAGE plpgsql STABLE
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF NOT public.app_has_permission('rooms.read') THEN
        RAISE EXCEPTION 'seeing beds needs rooms.read' USING ERRCODE = '42501';
    END IF;
    RETURN QUERY
    SELECT r.room_id, r.room_number, r.department_id, r.floor, rt.type_name, b.bed::INTEGER,
           CASE WHEN ra.assignment_id IS NOT NULL THEN 'occupied'
                WHEN r.status = 'Closed' THEN 'closed'
                WHEN r.status = 'Maintenance' THEN 'maintenance'
                WHEN cs.cleaning_id IS NOT NULL OR r.status = 'Cleaning' THEN 'to-clean'
                ELSE 'free' END,
           ra.assignment_id, cs.cleaning_id
    FROM public.rooms r
    LEFT JOIN public.room_types rt ON rt.room_type_id = r.room_type_id
    CROSS JOIN LATERAL pg_catalog.generate_series(1, r.bed_count::INTEGER) AS b(bed)
    LEFT JOIN public.room_assignments ra ON ra.room_id = r.room_id AND ra.bed_number = b.bed AND ra.discharged_at IS NULL
    LEFT JOIN LATERAL (
        SELECT c.cleaning_id FROM public.cleaning_service c
        WHERE c.room_id = r.room_id AND (c.bed_number IS NULL OR c.bed_number = b.bed) AND c.status IN ('Scheduled', 'InProgress')
          AND c.cleaning_type <> 'Routine'
        ORDER BY c.scheduled_at LIMIT 1) cs ON true
    WHERE p_department_id IS NULL OR r.department_id = p_department_id
    ORDER BY r.room_number, b.bed;
END;
$$;

-- Housekeeping schedules (routine, spills) and works any room's tasks.
CREATE POLICY cleaning_service_housekeeping_insert ON cleaning_service FOR INSERT TO clinic_app
    WITH CHECK ((SELECT app_has_permission('cleaning.write')));
CREATE POLICY cleaning_service_housekeeping_update ON cleaning_service FOR UPDATE TO clinic_app
    USING ((SELECT app_has_permission('cleaning.write'))) WITH CHECK ((SELECT app_has_permission('cleaning.write')));

-- Ambulance ---------------------------------------------------------------------------------------
ALTER TABLE ambulance_log ADD COLUMN en_route_at TIMESTAMPTZ;
ALTER TABLE ambulance_log ADD COLUMN arrived_at TIMESTAMPTZ;
ALTER TABLE ambulance_log ADD COLUMN driver_staff_id INTEGER;
ALTER TABLE ambulance_log ADD COLUMN attendant_staff_id INTEGER;
ALTER TABLE ambulance_log ADD CONSTRAINT ambulance_log_driver_fk FOREIGN KEY (driver_staff_id) REFERENCES staff (staff_id) NOT VALID;
ALTER TABLE ambulance_log ADD CONSTRAINT ambulance_log_attendant_fk FOREIGN KEY (attendant_staff_id) REFERENCES staff (staff_id) NOT VALID;
ALTER TABLE ambulance_log ADD CONSTRAINT ambulance_log_times_in_order CHECK (
    (en_route_at IS NULL OR en_route_at >= dispatched_at) AND (arrived_at IS NULL OR arrived_at >= COALESCE(en_route_at, dispatched_at))) NOT VALID;

-- A run moves forward one step at a time; its times are the database's. The owner with no user
-- context (a DBA, the demo history) writes as given.
CREATE FUNCTION ambulance_log_guard_changes() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    vehicle_status TEXT;
BEGIN
    IF public.app_holds_owner_rights('public.ambulance_log'::pg_catalog.regclass) AND public.app_current_user_id() IS NULL THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'Dispatched' OR NEW.returned_at IS NOT NULL OR NEW.en_route_at IS NOT NULL OR NEW.arrived_at IS NOT NULL THEN
            RAISE EXCEPTION 'a new run starts dispatched' USING ERRCODE = '23514';
        END IF;
        SELECT a.status INTO vehicle_status FROM public.ambulance a WHERE a.ambulance_id = NEW.ambulance_id;
        IF vehicle_status IN ('Maintenance', 'OutOfService') THEN
            RAISE EXCEPTION 'this vehicle is %', CASE vehicle_status WHEN 'Maintenance' THEN 'in maintenance' ELSE 'out of service' END USING ERRCODE = 'AMB02';
        END IF;
        NEW.dispatched_at := pg_catalog.now();
        NEW.dispatched_by := public.app_current_user_id();
        RETURN NEW;
    END IF;
    IF (NEW.ambulance_id, NEW.dispatched_at, NEW.dispatched_by) IS DISTINCT FROM (OLD.ambulance_id, OLD.dispatched_at, OLD.dispatched_by) THEN
        RAISE EXCEPTION 'a run keeps its vehicle and dispatch' USING ERRCODE = '23514';
    END IF;
    IF OLD.status IN ('Returned', 'Cancelled') THEN
        RAISE EXCEPTION 'this run has ended' USING ERRCODE = 'AMB03';
    END IF;
    IF NEW.status IS NOT DISTINCT FROM OLD.status THEN
        IF (NEW.en_route_at, NEW.arrived_at, NEW.returned_at) IS DISTINCT FROM (OLD.en_route_at, OLD.arrived_at, OLD.returned_at) THEN
            RAISE EXCEPTION 'the times of a run are the database''s' USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
    END IF;
    IF NOT ((OLD.status = 'Dispatched' AND NEW.status IN ('EnRoute', 'Cancelled'))
            OR (OLD.status = 'EnRoute' AND NEW.status IN ('Arrived', 'Cancelled'))
            OR (OLD.status = 'Arrived' AND NEW.status IN ('Returned', 'Cancelled'))) THEN
        RAISE EXCEPTION 'a run cannot go from % to %', OLD.status, NEW.status USING ERRCODE = 'AMB03';
    END IF;
    CASE NEW.status
        WHEN 'EnRoute' THEN NEW.en_route_at := pg_catalog.now();
        WHEN 'Arrived' THEN NEW.arrived_at := pg_catalog.now();
        ELSE NEW.returned_at := pg_catalog.now();
    END CASE;
    RETURN NEW;
END;
$$;
REVOKE ALL ON FUNCTION ambulance_log_guard_changes() FROM PUBLIC;
CREATE TRIGGER ambulance_log_guard_changes BEFORE INSERT OR UPDATE ON ambulance_log
    FOR EACH ROW EXECUTE FUNCTION ambulance_log_guard_changes();

-- The vehicle is OnCall while a run is open, Available when it ends (caller's rights: RLS decides).
CREATE FUNCTION ambulance_log_sync_vehicle() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.status IN ('Dispatched', 'EnRoute', 'Arrived') THEN
        UPDATE public.ambulance SET status = 'OnCall' WHERE ambulance_id = NEW.ambulance_id;
    ELSIF TG_OP = 'UPDATE' AND NEW.status IN ('Returned', 'Cancelled') AND OLD.status NOT IN ('Returned', 'Cancelled') THEN
        UPDATE public.ambulance SET status = 'Available' WHERE ambulance_id = NEW.ambulance_id AND status = 'OnCall';
    END IF;
    RETURN NULL;
END;
$$;
REVOKE ALL ON FUNCTION ambulance_log_sync_vehicle() FROM PUBLIC;
CREATE TRIGGER ambulance_log_sync_vehicle AFTER INSERT OR UPDATE OF status ON ambulance_log
    FOR EACH ROW EXECUTE FUNCTION ambulance_log_sync_vehicle();

-- OnCall is set and cleared only by a run (depth 2: from ambulance_log_sync_vehicle); a dispatcher
-- changes only the status of a vehicle, fleet administrators (settings.manage) the rest.
CREATE FUNCTION ambulance_guard_changes() RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF public.app_holds_owner_rights('public.ambulance'::pg_catalog.regclass) AND public.app_current_user_id() IS NULL THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status = 'OnCall' THEN
            RAISE EXCEPTION 'a vehicle goes on call only with a dispatch' USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status AND pg_catalog.pg_trigger_depth() < 2 THEN
        IF NEW.status = 'OnCall' THEN
            RAISE EXCEPTION 'a vehicle goes on call only with a dispatch' USING ERRCODE = '23514';
        END IF;
        IF OLD.status = 'OnCall' THEN
            RAISE EXCEPTION 'this vehicle is on a run: record its return first' USING ERRCODE = 'AMB01';
        END IF;
    END IF;
    IF (pg_catalog.to_jsonb(NEW) - 'status') IS DISTINCT FROM (pg_catalog.to_jsonb(OLD) - 'status')
       AND NOT public.app_has_permission('settings.manage') THEN
        RAISE EXCEPTION 'only a fleet administrator changes a vehicle''s details' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END;
$$;
REVOKE ALL ON FUNCTION ambulance_guard_changes() FROM PUBLIC;
CREATE TRIGGER ambulance_guard_changes BEFORE INSERT OR UPDATE ON ambulance
    FOR EACH ROW EXECUTE FUNCTION ambulance_guard_changes();

CREATE POLICY ambulance_dispatch_update ON ambulance FOR UPDATE TO clinic_app
    USING ((SELECT app_has_permission('ambulance.dispatch'))) WITH CHECK ((SELECT app_has_permission('ambulance.dispatch')));

-- Runs: read with ambulance.read; dispatched and updated with ambulance.dispatch, for a patient the
-- dispatcher can see (or none).
CREATE POLICY ambulance_log_dispatch_read ON ambulance_log FOR SELECT TO clinic_app USING ((SELECT app_has_permission('ambulance.read')));
CREATE POLICY ambulance_log_dispatch_insert ON ambulance_log FOR INSERT TO clinic_app WITH CHECK (
    (SELECT app_has_permission('ambulance.dispatch')) AND (patient_id IS NULL OR app_can_see_patient(patient_id)));
CREATE POLICY ambulance_log_dispatch_update ON ambulance_log FOR UPDATE TO clinic_app
    USING ((SELECT app_has_permission('ambulance.dispatch')))
    WITH CHECK ((SELECT app_has_permission('ambulance.dispatch')) AND (patient_id IS NULL OR app_can_see_patient(patient_id)));
-- The owner writes the demo history and a DBA's repairs (it could switch RLS off anyway).
CREATE POLICY ambulance_log_owner_read ON ambulance_log FOR SELECT USING ((SELECT app_holds_owner_rights('public.ambulance_log')));
CREATE POLICY ambulance_log_owner_insert ON ambulance_log FOR INSERT WITH CHECK ((SELECT app_holds_owner_rights('public.ambulance_log')));
CREATE POLICY ambulance_log_owner_update ON ambulance_log FOR UPDATE
    USING ((SELECT app_holds_owner_rights('public.ambulance_log'))) WITH CHECK ((SELECT app_holds_owner_rights('public.ambulance_log')));

-- Audit the fleet too (runs, bills and cleaning are audited above or since 005).
CREATE TRIGGER ambulance_audit AFTER INSERT OR UPDATE OR DELETE ON ambulance FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
