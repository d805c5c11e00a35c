import { sql, type Kysely } from 'kysely';
import type { RecordedOutcome } from '../../contract/ward.js';
import type { Database } from '../db/database.js';

// The administrations' writes (append-only: a wrong entry is corrected by a new row) and the one row a
// correction starts from. Every statement runs under the writer's row level security and the dose guard.

export interface NewAdministration {
  prescriptionId: number;
  patientId: number;
  scheduledFor: Date;
  outcome: 'given' | RecordedOutcome | 'entered-in-error';
  reason: string | null;
  doseAmount: string | null;
  doseUnit: string | null;
  scannedCode: string | null;
  dispenseTransactionId: number | null;
  recordedBy: string;
  witnessedBy: string | null;
  correctsAdministrationId: number | null;
}

const ADMINISTRATION_COLUMNS = sql`prescription_id, patient_id, scheduled_for, outcome, reason, dose_amount, dose_unit,
  scanned_code, dispense_transaction_id, recorded_by, witnessed_by, corrects_administration_id`;
const administrationValues = (row: NewAdministration) =>
  sql`${row.prescriptionId}, ${row.patientId}, ${row.scheduledFor}, ${row.outcome}, ${row.reason}, ${row.doseAmount}::numeric,
    ${row.doseUnit}, ${row.scannedCode}, ${row.dispenseTransactionId}, ${row.recordedBy}::uuid, ${row.witnessedBy}::uuid,
    ${row.correctsAdministrationId}`;
// Two nurses at once record a dose once: the partial unique index decides, and the loser's row is not written.
const UNLESS_ALREADY_COUNTED = sql`ON CONFLICT (prescription_id, scheduled_for) WHERE outcome <> 'entered-in-error' AND NOT entered_in_error DO NOTHING`;

/**
 * Inserts a dose; null when that dose already counts. A savepoint keeps the transaction usable after
 * the guard trigger refuses.
 */
export async function insertAdministration(db: Kysely<Database>, row: NewAdministration): Promise<number | null> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO medication_administrations (${ADMINISTRATION_COLUMNS}) VALUES (${administrationValues(row)})
    ${UNLESS_ALREADY_COUNTED} RETURNING administration_id AS id`.execute(db);
  return rows[0]?.id ?? null;
}

/**
 * The same, under an id drawn beforehand (findScanContext): nothing is read back, so the table's read
 * policies are not evaluated once more for the new row. False when that dose already counts.
 */
export async function insertAdministrationAs(db: Kysely<Database>, administrationId: number, row: NewAdministration): Promise<boolean> {
  const { numAffectedRows } = await sql`
    INSERT INTO medication_administrations (administration_id, ${ADMINISTRATION_COLUMNS})
    VALUES (${administrationId}, ${administrationValues(row)}) ${UNLESS_ALREADY_COUNTED}`.execute(db);
  return numAffectedRows === 1n;
}

/** One counting or corrected row the reader may see. */
export async function findAdministration(db: Kysely<Database>, administrationId: number) {
  const { rows } = await sql<{
    administrationId: number;
    prescriptionId: number;
    patientId: number;
    scheduledFor: Date;
    outcome: string;
    enteredInError: boolean;
  }>`
    SELECT administration_id AS "administrationId", prescription_id AS "prescriptionId", patient_id AS "patientId",
           scheduled_for AS "scheduledFor", outcome, entered_in_error AS "enteredInError"
    FROM medication_administrations WHERE administration_id = ${administrationId}`.execute(db);
  return rows[0];
}
