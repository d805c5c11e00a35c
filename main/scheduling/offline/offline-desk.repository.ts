import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import type { WorkingSet } from './working-set.js';

/** Whether each user is still active, and a fingerprint of their password hash (never the hash). */
export async function credentialFingerprints(
  db: Kysely<Database>,
  userIds: string[],
): Promise<{ userId: string; isActive: boolean; fingerprint: string }[]> {
  if (userIds.length === 0) return [];
  const { rows } = await sql<{
    user_id: string;
    is_active: boolean;
    fingerprint: string;
  }>`SELECT user_id, is_active, fingerprint FROM app_credential_fingerprints(${userIds}::uuid[])`.execute(db);
  return rows.map((r) => ({ userId: r.user_id, isActive: r.is_active, fingerprint: r.fingerprint }));
}

/**
 * Whether the user whose context `db` runs in (RLS applies) sees every patient and appointment of
 * the working set online. Stops at the first one they do not see.
 */
export async function coversWorkingSet(db: Kysely<Database>, set: Pick<WorkingSet, 'patients' | 'appointments'>): Promise<boolean> {
  const patientIds = set.patients.map((p) => p.patientId);
  const appointmentIds = set.appointments.map((a) => a.appointmentId);
  const { rows } = await sql<{ hidden: boolean }>`
    SELECT EXISTS (SELECT 1 FROM unnest(${patientIds}::int[]) AS w(id) WHERE NOT EXISTS (SELECT 1 FROM patients p WHERE p.patient_id = w.id))
        OR EXISTS (SELECT 1 FROM unnest(${appointmentIds}::int[]) AS w(id) WHERE NOT EXISTS (SELECT 1 FROM appointments a WHERE a.appointment_id = w.id)) AS hidden`.execute(
    db,
  );
  return rows[0]?.hidden === false;
}
