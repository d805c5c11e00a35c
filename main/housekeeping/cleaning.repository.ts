import { sql, type Kysely } from 'kysely';
import type { CleaningStatus, CleaningType } from '../../contract/housekeeping.js';
import type { Database } from '../db/database.js';

// The SQL of the cleaning queue. When a task is due is cleaning_due_at (migration 027), the one rule
// of "overdue"; the transitions and their times are cleaning_service_guard_changes'.

export interface TaskRow {
  cleaningId: number;
  roomId: number;
  roomNumber: string;
  departmentName: string | null;
  bedNumber: number | null;
  type: CleaningType;
  status: CleaningStatus;
  scheduledAt: Date;
  dueAt: Date;
  overdue: boolean;
  startedAt: Date | null;
  completedAt: Date | null;
  staffName: string | null;
  skipReason: string | null;
  notes: string | null;
}

const TASK_COLUMNS = sql`c.cleaning_id AS "cleaningId", c.room_id AS "roomId", r.room_number AS "roomNumber", d.name AS "departmentName",
    c.bed_number AS "bedNumber", c.cleaning_type AS type, c.status, c.scheduled_at AS "scheduledAt",
    cleaning_due_at(c.cleaning_type, c.scheduled_at) AS "dueAt",
    (c.status IN ('Scheduled', 'InProgress') AND cleaning_due_at(c.cleaning_type, c.scheduled_at) < now()) AS overdue,
    c.started_at AS "startedAt", c.completed_at AS "completedAt",
    CASE WHEN s.staff_id IS NULL THEN NULL ELSE s.first_name || ' ' || s.last_name END AS "staffName",
    c.skip_reason AS "skipReason", c.notes`;
const TASK_FROM = sql`cleaning_service c JOIN rooms r ON r.room_id = c.room_id
    LEFT JOIN departments d ON d.department_id = r.department_id LEFT JOIN staff s ON s.staff_id = c.staff_id`;

export async function findOpenTasks(db: Kysely<Database>, limit: number): Promise<TaskRow[]> {
  const { rows } = await sql<TaskRow>`SELECT ${TASK_COLUMNS} FROM ${TASK_FROM}
    WHERE c.status IN ('Scheduled', 'InProgress')
    ORDER BY cleaning_due_at(c.cleaning_type, c.scheduled_at), c.cleaning_id LIMIT ${limit}`.execute(db);
  return rows;
}

export async function findClosedToday(db: Kysely<Database>, limit: number): Promise<TaskRow[]> {
  const { rows } = await sql<TaskRow>`SELECT ${TASK_COLUMNS} FROM ${TASK_FROM}
    WHERE c.status IN ('Completed', 'Skipped') AND c.completed_at >= date_trunc('day', now())
    ORDER BY c.completed_at DESC LIMIT ${limit}`.execute(db);
  return rows;
}

/** Today's routine clean for each room without one; the unique index (029) settles two planners at once. */
export async function insertRoutineForToday(db: Kysely<Database>): Promise<number> {
  const result = await sql`
    INSERT INTO cleaning_service (room_id, cleaning_type, scheduled_at, routine_day, notes)
    SELECT r.room_id, 'Routine', current_date + TIME '09:00', current_date, 'Daily routine clean'
    FROM rooms r WHERE r.status NOT IN ('Closed', 'Maintenance')
    ON CONFLICT (room_id, routine_day) WHERE routine_day IS NOT NULL DO NOTHING`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

export async function insertRequest(
  db: Kysely<Database>,
  request: { roomId: number; bedNumber: number | null; type: CleaningType; notes: string | null },
) {
  const { rows } = await sql<{ cleaningId: number }>`
    INSERT INTO cleaning_service (room_id, bed_number, cleaning_type, notes)
    VALUES (${request.roomId}, ${request.bedNumber}, ${request.type}, ${request.notes})
    RETURNING cleaning_id AS "cleaningId"`.execute(db);
  return rows[0]!;
}

export async function findCleanableRooms(db: Kysely<Database>) {
  const { rows } = await sql<{ roomId: number; roomNumber: string; departmentName: string | null; bedCount: number }>`
    SELECT r.room_id AS "roomId", r.room_number AS "roomNumber", d.name AS "departmentName", r.bed_count AS "bedCount"
    FROM rooms r LEFT JOIN departments d ON d.department_id = r.department_id
    ORDER BY r.room_number, r.room_id`.execute(db);
  return rows;
}

export async function findRoomBeds(db: Kysely<Database>, roomId: number) {
  const { rows } = await sql<{ bedCount: number }>`SELECT bed_count AS "bedCount" FROM rooms WHERE room_id = ${roomId}`.execute(db);
  return rows[0];
}

/** Moves a task to the status; the guard trigger decides whether it may and stamps the time. */
export async function setTaskStatus(db: Kysely<Database>, cleaningId: number, status: CleaningStatus, skipReason: string | null = null) {
  const { rows } = await sql<{ cleaningId: number; status: CleaningStatus }>`
    UPDATE cleaning_service SET status = ${status}, skip_reason = COALESCE(${skipReason}, skip_reason)
    WHERE cleaning_id = ${cleaningId} AND status IS DISTINCT FROM ${status} RETURNING cleaning_id AS "cleaningId", status`.execute(db);
  return rows[0];
}

export async function findTask(db: Kysely<Database>, cleaningId: number) {
  const { rows } = await sql<{ status: CleaningStatus; type: CleaningType }>`
    SELECT status, cleaning_type AS type FROM cleaning_service WHERE cleaning_id = ${cleaningId}`.execute(db);
  return rows[0];
}
