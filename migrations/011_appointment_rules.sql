-- 011 Appointment rules held by the database for every client: which status may follow which, and
-- that only a Scheduled appointment may be moved. (Double-booking is already impossible: 001.)

CREATE OR REPLACE FUNCTION appointments_guard_changes() RETURNS TRIGGER
LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
           (OLD.status = 'Scheduled' AND NEW.status IN ('CheckedIn', 'Cancelled', 'NoShow'))
        OR (OLD.status = 'CheckedIn' AND NEW.status IN ('Completed', 'Cancelled'))) THEN
        RAISE EXCEPTION 'an appointment cannot go from % to %', OLD.status, NEW.status USING ERRCODE = '23514';
    END IF;
    IF (NEW.appointment_date, NEW.appointment_time, NEW.doctor_id) IS DISTINCT FROM (OLD.appointment_date, OLD.appointment_time, OLD.doctor_id)
       AND OLD.status <> 'Scheduled' THEN
        RAISE EXCEPTION 'only a scheduled appointment can be moved' USING ERRCODE = '23514';
    END IF;
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER appointments_guard_changes BEFORE UPDATE ON appointments
    FOR EACH ROW EXECUTE FUNCTION appointments_guard_changes();

CREATE INDEX idx_appointments_doctor_date ON appointments (doctor_id, appointment_date);
-- The book is read per doctor and day; this index leads with doctor_id, so the guide's single-column
-- idx_appointments_doctor would only mislead the planner.
DROP INDEX idx_appointments_doctor;
