-- 001 Core hospital schema (the seed guide's "Core Tables Structure").
-- Table and column names follow ../shared/seed/hospital-database-guide.md; every column the guide
-- does not name has a default (or is nullable), so an INSERT of only the guide's columns still works.
-- Runs on PostgreSQL 15+: no 16+-only syntax.

CREATE EXTENSION IF NOT EXISTS pgcrypto;   -- gen_random_uuid, pgp_sym_encrypt
CREATE EXTENSION IF NOT EXISTS btree_gist; -- exclusion constraints mixing "=" and "&&"
CREATE EXTENSION IF NOT EXISTS pg_trgm;    -- typo-tolerant patient search

-- Users & authentication -------------------------------------------------------------------
CREATE TABLE users (
    user_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email VARCHAR(255) UNIQUE NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    is_active BOOLEAN DEFAULT true,
    last_login TIMESTAMPTZ,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    updated_at TIMESTAMPTZ DEFAULT NOW(),
    display_name VARCHAR(100) NOT NULL DEFAULT '',
    failed_login_count INTEGER NOT NULL DEFAULT 0 CHECK (failed_login_count >= 0),
    locked_until TIMESTAMPTZ,
    CONSTRAINT users_email_lowercase CHECK (email = lower(email))
);
-- The guide's idx_users_email is left out: the UNIQUE constraint already indexes email.
CREATE INDEX idx_users_active ON users(is_active);

-- Departments, doctors, staff ---------------------------------------------------------------
CREATE TABLE departments (
    department_id SERIAL PRIMARY KEY,
    name VARCHAR(100) UNIQUE NOT NULL,
    code VARCHAR(10) UNIQUE,
    kind VARCHAR(20) NOT NULL DEFAULT 'clinical'
        CHECK (kind IN ('clinical', 'ward', 'support', 'administrative')),
    location VARCHAR(100),
    phone VARCHAR(15),
    is_active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE TABLE doctors (
    doctor_id SERIAL PRIMARY KEY,
    user_id UUID UNIQUE REFERENCES users(user_id),
    first_name VARCHAR(50) NOT NULL,
    last_name VARCHAR(50) NOT NULL,
    specialization VARCHAR(100),
    department_id INTEGER REFERENCES departments(department_id),
    license_number VARCHAR(50) UNIQUE,
    contact_number VARCHAR(15),
    email VARCHAR(100),
    slot_minutes SMALLINT NOT NULL DEFAULT 15 CHECK (slot_minutes BETWEEN 5 AND 240),
    is_active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_doctors_department ON doctors(department_id);

-- Weekly working hours: the appointment book derives its slots from these.
CREATE TABLE doctor_working_hours (
    working_hours_id SERIAL PRIMARY KEY,
    doctor_id INTEGER NOT NULL REFERENCES doctors(doctor_id) ON DELETE CASCADE,
    iso_weekday SMALLINT NOT NULL CHECK (iso_weekday BETWEEN 1 AND 7),
    start_time TIME NOT NULL,
    end_time TIME NOT NULL,
    CHECK (end_time > start_time),
    -- One doctor cannot have two overlapping shifts on the same weekday.
    EXCLUDE USING gist (doctor_id WITH =, iso_weekday WITH =,
        tsrange('2000-01-01'::date + start_time, '2000-01-01'::date + end_time) WITH &&)
);

CREATE TABLE staff (
    staff_id SERIAL PRIMARY KEY,
    user_id UUID UNIQUE REFERENCES users(user_id),
    first_name VARCHAR(50) NOT NULL,
    last_name VARCHAR(50) NOT NULL,
    role VARCHAR(30) NOT NULL DEFAULT 'nurse'
        CHECK (role IN ('doctor', 'nurse', 'pharmacist', 'front_desk', 'admin',
                        'cleaner', 'driver', 'technician')),
    department_id INTEGER REFERENCES departments(department_id),
    contact_number VARCHAR(15),
    email VARCHAR(100),
    hire_date DATE,
    is_active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_staff_department ON staff(department_id);

-- Patients & appointments ------------------------------------------------------------------
CREATE TABLE patients (
    patient_id SERIAL PRIMARY KEY,
    user_id UUID UNIQUE REFERENCES users(user_id),
    first_name VARCHAR(50) NOT NULL,
    last_name VARCHAR(50) NOT NULL,
    date_of_birth DATE NOT NULL,
    gender CHAR(1) CHECK (gender IN ('M', 'F', 'X', 'U')),
    contact_number VARCHAR(15),
    address VARCHAR(255),
    email VARCHAR(100),
    medical_history TEXT,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    -- The department/ward that is caring for the patient (RLS scopes clinical staff by it).
    department_id INTEGER REFERENCES departments(department_id),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CHECK (date_of_birth > DATE '1880-01-01')
);
CREATE INDEX idx_patients_name ON patients(first_name, last_name);
CREATE INDEX idx_patients_email ON patients(email);
CREATE INDEX idx_patients_department ON patients(department_id);

CREATE TABLE appointments (
    appointment_id SERIAL PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(patient_id),
    doctor_id INTEGER REFERENCES doctors(doctor_id),
    appointment_date DATE NOT NULL,
    appointment_time TIME NOT NULL,
    purpose VARCHAR(255),
    status VARCHAR(20) DEFAULT 'Scheduled',
    created_at TIMESTAMPTZ DEFAULT NOW(),
    duration_minutes SMALLINT NOT NULL DEFAULT 15 CHECK (duration_minutes BETWEEN 5 AND 480),
    department_id INTEGER REFERENCES departments(department_id),
    cancel_reason VARCHAR(255),
    created_by UUID REFERENCES users(user_id),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT appointments_status_check
        CHECK (status IN ('Scheduled', 'CheckedIn', 'Completed', 'Cancelled', 'NoShow')),
    CONSTRAINT appointments_cancel_reason_check
        CHECK (status <> 'Cancelled' OR cancel_reason IS NOT NULL),
    -- The database, not the app, makes double-booking impossible: any client, any concurrency.
    -- Adjacent slots do not overlap because tsrange is half-open [start, end).
    CONSTRAINT appointments_no_doctor_overlap EXCLUDE USING gist (
        doctor_id WITH =,
        tsrange(appointment_date + appointment_time,
                appointment_date + appointment_time + duration_minutes * INTERVAL '1 minute') WITH &&
    ) WHERE (status NOT IN ('Cancelled', 'NoShow')),
    CONSTRAINT appointments_no_patient_overlap EXCLUDE USING gist (
        patient_id WITH =,
        tsrange(appointment_date + appointment_time,
                appointment_date + appointment_time + duration_minutes * INTERVAL '1 minute') WITH &&
    ) WHERE (status NOT IN ('Cancelled', 'NoShow'))
);
-- The guide's idx_appointments_date is left out: idx_appointments_date_patient leads with the date.
CREATE INDEX idx_appointments_date_patient ON appointments(appointment_date, patient_id);
CREATE INDEX idx_appointments_patient ON appointments(patient_id);
CREATE INDEX idx_appointments_doctor ON appointments(doctor_id);

-- Clinical records ---------------------------------------------------------------------------
CREATE TABLE medical_records (
    record_id SERIAL PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(patient_id),
    doctor_id INTEGER REFERENCES doctors(doctor_id),
    appointment_id INTEGER REFERENCES appointments(appointment_id),
    record_date TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    diagnosis TEXT,
    treatment TEXT,
    notes TEXT,
    created_by UUID REFERENCES users(user_id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_medical_records_patient ON medical_records(patient_id, record_date);

-- Medicine & stock -----------------------------------------------------------------------------
CREATE TABLE medicine (
    medicine_id SERIAL PRIMARY KEY,
    name VARCHAR(150) NOT NULL,
    generic_name VARCHAR(150),
    form VARCHAR(30) NOT NULL DEFAULT 'tablet'
        CHECK (form IN ('tablet', 'capsule', 'syrup', 'injection', 'infusion', 'cream',
                        'ointment', 'drops', 'inhaler', 'patch', 'suppository', 'other')),
    strength VARCHAR(50) NOT NULL DEFAULT '',
    unit VARCHAR(20) NOT NULL DEFAULT 'unit',
    manufacturer VARCHAR(100),
    unit_price NUMERIC(10, 2) NOT NULL DEFAULT 0 CHECK (unit_price >= 0),
    reorder_level INTEGER NOT NULL DEFAULT 0 CHECK (reorder_level >= 0),
    is_controlled BOOLEAN NOT NULL DEFAULT false,
    is_active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE (name, strength, form)
);

-- Stock is held per lot so expiry is tracked; a CHECK makes negative stock impossible.
CREATE TABLE medicine_lots (
    lot_id SERIAL PRIMARY KEY,
    medicine_id INTEGER NOT NULL REFERENCES medicine(medicine_id),
    lot_number VARCHAR(50) NOT NULL,
    expiry_date DATE NOT NULL,
    quantity_on_hand INTEGER NOT NULL DEFAULT 0 CHECK (quantity_on_hand >= 0),
    received_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE (medicine_id, lot_number)
);
CREATE INDEX idx_medicine_lots_expiry ON medicine_lots(medicine_id, expiry_date);

CREATE TABLE prescriptions (
    prescription_id SERIAL PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(patient_id),
    doctor_id INTEGER REFERENCES doctors(doctor_id),
    record_id INTEGER REFERENCES medical_records(record_id),
    medicine_id INTEGER REFERENCES medicine(medicine_id),
    dosage VARCHAR(100) NOT NULL DEFAULT '',
    frequency VARCHAR(100),
    duration_days INTEGER CHECK (duration_days > 0),
    quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
    instructions TEXT,
    status VARCHAR(20) NOT NULL DEFAULT 'Active'
        CHECK (status IN ('Active', 'PartiallyDispensed', 'Dispensed', 'Cancelled', 'Completed')),
    prescribed_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_prescriptions_patient ON prescriptions(patient_id);
CREATE INDEX idx_prescriptions_status ON prescriptions(status) WHERE status IN ('Active', 'PartiallyDispensed');

-- Pharmacy transactions: every stock movement, signed by who did it.
CREATE TABLE pharmacy (
    transaction_id SERIAL PRIMARY KEY,
    medicine_id INTEGER NOT NULL REFERENCES medicine(medicine_id),
    lot_id INTEGER REFERENCES medicine_lots(lot_id),
    prescription_id INTEGER REFERENCES prescriptions(prescription_id),
    patient_id INTEGER REFERENCES patients(patient_id),
    transaction_type VARCHAR(20) NOT NULL DEFAULT 'Dispense'
        CHECK (transaction_type IN ('Dispense', 'Receive', 'Return', 'Adjust', 'Dispose')),
    quantity INTEGER NOT NULL CHECK (quantity <> 0),
    performed_by UUID REFERENCES users(user_id),
    notes TEXT,
    transaction_date TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_pharmacy_medicine ON pharmacy(medicine_id, transaction_date);
CREATE INDEX idx_pharmacy_prescription ON pharmacy(prescription_id);

CREATE TABLE billing (
    bill_id SERIAL PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(patient_id),
    appointment_id INTEGER REFERENCES appointments(appointment_id),
    description VARCHAR(255),
    amount NUMERIC(12, 2) NOT NULL CHECK (amount >= 0),
    paid_amount NUMERIC(12, 2) NOT NULL DEFAULT 0 CHECK (paid_amount >= 0),
    status VARCHAR(20) NOT NULL DEFAULT 'Pending'
        CHECK (status IN ('Pending', 'PartiallyPaid', 'Paid', 'Cancelled', 'Refunded')),
    payment_method VARCHAR(30),
    bill_date TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    due_date DATE,
    created_by UUID REFERENCES users(user_id),
    CHECK (paid_amount <= amount)
);
CREATE INDEX idx_billing_patient ON billing(patient_id);

-- Rooms, beds, ambulance, cleaning ------------------------------------------------------------
CREATE TABLE room_types (
    room_type_id SERIAL PRIMARY KEY,
    type_name VARCHAR(50) UNIQUE NOT NULL,
    description TEXT,
    daily_rate NUMERIC(10, 2) NOT NULL DEFAULT 0 CHECK (daily_rate >= 0)
);

CREATE TABLE rooms (
    room_id SERIAL PRIMARY KEY,
    room_number VARCHAR(20) UNIQUE NOT NULL,
    room_type_id INTEGER REFERENCES room_types(room_type_id),
    department_id INTEGER REFERENCES departments(department_id),
    floor SMALLINT,
    bed_count SMALLINT NOT NULL DEFAULT 1 CHECK (bed_count BETWEEN 1 AND 50),
    status VARCHAR(20) NOT NULL DEFAULT 'Available'
        CHECK (status IN ('Available', 'Occupied', 'Cleaning', 'Maintenance', 'Closed')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_rooms_department ON rooms(department_id);

CREATE TABLE room_assignments (
    assignment_id SERIAL PRIMARY KEY,
    room_id INTEGER NOT NULL REFERENCES rooms(room_id),
    patient_id INTEGER NOT NULL REFERENCES patients(patient_id),
    bed_number SMALLINT NOT NULL DEFAULT 1 CHECK (bed_number > 0),
    assigned_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    discharged_at TIMESTAMPTZ,
    assigned_by UUID REFERENCES users(user_id),
    notes TEXT,
    CHECK (discharged_at IS NULL OR discharged_at > assigned_at),
    -- One patient per bed at a time, and one bed per patient at a time.
    CONSTRAINT room_assignments_no_bed_overlap EXCLUDE USING gist (
        room_id WITH =, bed_number WITH =, tstzrange(assigned_at, discharged_at) WITH &&),
    CONSTRAINT room_assignments_no_patient_overlap EXCLUDE USING gist (
        patient_id WITH =, tstzrange(assigned_at, discharged_at) WITH &&)
);

CREATE TABLE ambulance (
    ambulance_id SERIAL PRIMARY KEY,
    vehicle_number VARCHAR(20) UNIQUE NOT NULL,
    driver_staff_id INTEGER REFERENCES staff(staff_id),
    equipment_level VARCHAR(20) NOT NULL DEFAULT 'Basic'
        CHECK (equipment_level IN ('Basic', 'Advanced', 'Critical')),
    status VARCHAR(20) NOT NULL DEFAULT 'Available'
        CHECK (status IN ('Available', 'OnCall', 'Maintenance', 'OutOfService')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE TABLE ambulance_log (
    log_id SERIAL PRIMARY KEY,
    ambulance_id INTEGER NOT NULL REFERENCES ambulance(ambulance_id),
    patient_id INTEGER REFERENCES patients(patient_id),
    pickup_location VARCHAR(255),
    destination VARCHAR(255),
    dispatched_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    returned_at TIMESTAMPTZ,
    status VARCHAR(20) NOT NULL DEFAULT 'Dispatched'
        CHECK (status IN ('Dispatched', 'EnRoute', 'Arrived', 'Returned', 'Cancelled')),
    dispatched_by UUID REFERENCES users(user_id),
    notes TEXT,
    CHECK (returned_at IS NULL OR returned_at > dispatched_at)
);
CREATE INDEX idx_ambulance_log_ambulance ON ambulance_log(ambulance_id, dispatched_at);

CREATE TABLE cleaning_service (
    cleaning_id SERIAL PRIMARY KEY,
    room_id INTEGER NOT NULL REFERENCES rooms(room_id),
    staff_id INTEGER REFERENCES staff(staff_id),
    cleaning_type VARCHAR(20) NOT NULL DEFAULT 'Routine'
        CHECK (cleaning_type IN ('Routine', 'Discharge', 'Deep', 'Spill', 'Isolation')),
    status VARCHAR(20) NOT NULL DEFAULT 'Scheduled'
        CHECK (status IN ('Scheduled', 'InProgress', 'Completed', 'Skipped')),
    scheduled_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    completed_at TIMESTAMPTZ,
    notes TEXT
);
CREATE INDEX idx_cleaning_service_room ON cleaning_service(room_id, scheduled_at);
