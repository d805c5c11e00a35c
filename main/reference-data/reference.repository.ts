import { sql, type Kysely } from 'kysely';
import type { Department, DoctorRecord, Room, RoomType, StaffMember } from '../../contract/reference-data.js';
import type { Database } from '../db/database.js';

// The SQL of the reference data. Row level security (migration 016) lets settings.manage write
// departments, rooms and room types, and users.manage staff, doctors and their hours.

type Row<T> = Omit<T, never>;

export async function findDepartments(db: Kysely<Database>) {
  const { rows } = await sql<Row<Department>>`
    SELECT d.department_id AS "departmentId", d.name, COALESCE(d.code, '') AS code, d.kind, d.location, d.phone,
           d.consultation_fee::text AS "consultationFee", d.is_active AS "isActive",
           (SELECT count(*)::int FROM rooms r WHERE r.department_id = d.department_id) AS rooms
    FROM departments d ORDER BY d.name`.execute(db);
  return rows;
}

export async function findRoomTypes(db: Kysely<Database>) {
  const { rows } = await sql<Row<RoomType>>`
    SELECT t.room_type_id AS "roomTypeId", t.type_name AS "typeName", t.description, t.daily_rate::text AS "dailyRate",
           (SELECT count(*)::int FROM rooms r WHERE r.room_type_id = t.room_type_id) AS rooms
    FROM room_types t ORDER BY t.type_name`.execute(db);
  return rows;
}

export async function findRooms(db: Kysely<Database>) {
  const { rows } = await sql<Row<Room>>`
    SELECT r.room_id AS "roomId", r.room_number AS "roomNumber", r.room_type_id AS "roomTypeId", r.department_id AS "departmentId",
           r.floor, r.bed_count AS "bedCount", r.status
    FROM rooms r WHERE r.room_type_id IS NOT NULL AND r.department_id IS NOT NULL ORDER BY r.room_number`.execute(db);
  return rows;
}

export async function upsertDepartment(
  db: Kysely<Database>,
  d: Omit<Department, 'departmentId' | 'rooms'> & { departmentId?: number | undefined },
) {
  const values = sql`${d.name}, ${d.code}, ${d.kind}, ${d.location}, ${d.phone}, ${d.consultationFee}::numeric, ${d.isActive}`;
  const { rows } = d.departmentId
    ? await sql<{ id: number }>`UPDATE departments SET (name, code, kind, location, phone, consultation_fee, is_active) = (${values})
        WHERE department_id = ${d.departmentId} RETURNING department_id AS id`.execute(db)
    : await sql<{ id: number }>`INSERT INTO departments (name, code, kind, location, phone, consultation_fee, is_active) VALUES (${values})
        RETURNING department_id AS id`.execute(db);
  return rows[0]?.id;
}

export async function upsertRoomType(
  db: Kysely<Database>,
  t: Omit<RoomType, 'roomTypeId' | 'rooms'> & { roomTypeId?: number | undefined },
) {
  const { rows } = t.roomTypeId
    ? await sql<{
        id: number;
      }>`UPDATE room_types SET type_name = ${t.typeName}, description = ${t.description}, daily_rate = ${t.dailyRate}::numeric
        WHERE room_type_id = ${t.roomTypeId} RETURNING room_type_id AS id`.execute(db)
    : await sql<{
        id: number;
      }>`INSERT INTO room_types (type_name, description, daily_rate) VALUES (${t.typeName}, ${t.description}, ${t.dailyRate}::numeric)
        RETURNING room_type_id AS id`.execute(db);
  return rows[0]?.id;
}

export async function upsertRoom(db: Kysely<Database>, r: Omit<Room, 'roomId'> & { roomId?: number | undefined }) {
  const values = sql`${r.roomNumber}, ${r.roomTypeId}, ${r.departmentId}, ${r.floor}, ${r.bedCount}, ${r.status}`;
  const { rows } = r.roomId
    ? await sql<{ id: number }>`UPDATE rooms SET (room_number, room_type_id, department_id, floor, bed_count, status) = (${values})
        WHERE room_id = ${r.roomId} RETURNING room_id AS id`.execute(db)
    : await sql<{ id: number }>`INSERT INTO rooms (room_number, room_type_id, department_id, floor, bed_count, status) VALUES (${values})
        RETURNING room_id AS id`.execute(db);
  return rows[0]?.id;
}

/** The highest bed of the room that holds a patient now (0: none). */
export async function highestOccupiedBed(db: Kysely<Database>, roomId: number) {
  const { rows } = await sql<{ bed: number }>`
    SELECT COALESCE(max(s.bed_number), 0)::int AS bed FROM ward_bed_states(NULL) s WHERE s.room_id = ${roomId} AND s.state = 'occupied'`.execute(
    db,
  );
  return rows[0]?.bed ?? 0;
}

export async function findStaff(db: Kysely<Database>) {
  const { rows } = await sql<Row<StaffMember>>`
    SELECT s.staff_id AS "staffId", s.first_name AS "firstName", s.last_name AS "lastName", s.role, s.department_id AS "departmentId",
           s.contact_number AS "contactNumber", s.email, to_char(s.hire_date, 'YYYY-MM-DD') AS "hireDate", s.is_active AS "isActive",
           s.user_id AS "userId", u.email AS "accountEmail", s.user_id IS NOT NULL AS "hasAccount"
    FROM staff s LEFT JOIN users u ON u.user_id = s.user_id ORDER BY s.last_name, s.first_name`.execute(db);
  return rows;
}

export async function findDoctors(db: Kysely<Database>) {
  const { rows } = await sql<Row<DoctorRecord>>`
    SELECT d.doctor_id AS "doctorId", d.first_name AS "firstName", d.last_name AS "lastName", d.specialization,
           d.department_id AS "departmentId", d.license_number AS "licenseNumber", d.contact_number AS "contactNumber", d.email,
           d.slot_minutes AS "slotMinutes", d.is_active AS "isActive", d.user_id AS "userId", u.email AS "accountEmail",
           COALESCE((SELECT json_agg(json_build_object('isoWeekday', h.iso_weekday, 'startTime', to_char(h.start_time, 'HH24:MI'),
                                                       'endTime', to_char(h.end_time, 'HH24:MI')) ORDER BY h.iso_weekday, h.start_time)
                     FROM doctor_working_hours h WHERE h.doctor_id = d.doctor_id), '[]') AS hours
    FROM doctors d LEFT JOIN users u ON u.user_id = d.user_id ORDER BY d.last_name, d.first_name`.execute(db);
  return rows;
}

export async function upsertStaff(
  db: Kysely<Database>,
  s: Omit<StaffMember, 'staffId' | 'hasAccount' | 'accountEmail' | 'userId'> & {
    staffId?: number | undefined;
    userId?: string | null | undefined;
  },
) {
  const values = sql`${s.firstName}, ${s.lastName}, ${s.role}, ${s.departmentId}, ${s.contactNumber}, ${s.email}, ${s.hireDate}::date, ${s.isActive}`;
  // The account link is written only when given: an edit that leaves it out keeps it.
  const link = s.userId === undefined ? sql`` : sql`, user_id = ${s.userId}::uuid`;
  const { rows } = s.staffId
    ? await sql<{
        id: number;
      }>`UPDATE staff SET (first_name, last_name, role, department_id, contact_number, email, hire_date, is_active) = (${values}) ${link}
        WHERE staff_id = ${s.staffId} RETURNING staff_id AS id`.execute(db)
    : await sql<{
        id: number;
      }>`INSERT INTO staff (first_name, last_name, role, department_id, contact_number, email, hire_date, is_active, user_id)
        VALUES (${values}, ${s.userId ?? null}::uuid) RETURNING staff_id AS id`.execute(db);
  return rows[0]?.id;
}

export async function upsertDoctor(
  db: Kysely<Database>,
  d: Omit<DoctorRecord, 'doctorId' | 'hours' | 'accountEmail' | 'userId'> & {
    doctorId?: number | undefined;
    userId?: string | null | undefined;
  },
) {
  const values = sql`${d.firstName}, ${d.lastName}, ${d.specialization}, ${d.departmentId}, ${d.licenseNumber}, ${d.contactNumber}, ${d.email}, ${d.slotMinutes}, ${d.isActive}`;
  // As for staff: the account link is written only when given.
  const link = d.userId === undefined ? sql`` : sql`, user_id = ${d.userId}::uuid`;
  const { rows } = d.doctorId
    ? await sql<{
        id: number;
      }>`UPDATE doctors SET (first_name, last_name, specialization, department_id, license_number, contact_number, email, slot_minutes, is_active) = (${values}) ${link}
        WHERE doctor_id = ${d.doctorId} RETURNING doctor_id AS id`.execute(db)
    : await sql<{
        id: number;
      }>`INSERT INTO doctors (first_name, last_name, specialization, department_id, license_number, contact_number, email, slot_minutes, is_active, user_id)
        VALUES (${values}, ${d.userId ?? null}::uuid) RETURNING doctor_id AS id`.execute(db);
  return rows[0]?.id;
}

export async function replaceHours(
  db: Kysely<Database>,
  doctorId: number,
  hours: { isoWeekday: number; startTime: string; endTime: string }[],
) {
  await sql`DELETE FROM doctor_working_hours WHERE doctor_id = ${doctorId}`.execute(db);
  if (hours.length === 0) return;
  await sql`INSERT INTO doctor_working_hours (doctor_id, iso_weekday, start_time, end_time)
    SELECT ${doctorId}, * FROM unnest(${hours.map((h) => h.isoWeekday)}::smallint[], ${hours.map((h) => h.startTime)}::time[], ${hours.map((h) => h.endTime)}::time[])`.execute(
    db,
  );
}

export async function doctorExists(db: Kysely<Database>, doctorId: number) {
  const { rows } = await sql<{ one: number }>`SELECT 1 AS one FROM doctors WHERE doctor_id = ${doctorId}`.execute(db);
  return rows.length > 0;
}
