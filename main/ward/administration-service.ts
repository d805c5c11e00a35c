// Bedside administration: the scans pass every check (scan-checks.ts) and, for a controlled drug, a
// second nurse's own password, before the dose is written; a failed check answers with its stop and
// records nothing. The database has the last word on "given once" (a partial unique index) and on PRN
// limits (an advisory lock per order).
import { sql, type Kysely } from 'kysely';
import type { AdministrationScan, ScanAdministration, ScanCheck } from '../../contract/ward.js';
import type { Database } from '../db/database.js';
import { confirmWitness } from '../session/index.js';
import { ClinicFailure } from '../shared/failure.js';
import type { Terminal } from '../shared/terminal.js';
import { clockTime } from './hospital-time.js';
import { insertAdministrationAs } from './administrations.repository.js';
import { findCountingAdministrations } from './mar.repository.js';
import { alreadyRecorded, resolveScan, stop } from './scan-checks.js';

/** Who may witness a controlled drug given on the ward: a second nurse. */
const WITNESS_ROLES = ['nurse'] as const;

export async function checkAdministration(db: Kysely<Database>, request: AdministrationScan, now: Date): Promise<ScanCheck> {
  const resolved = await resolveScan(db, request, now);
  if (resolved.outcome === 'stopped') return resolved;
  return {
    outcome: 'ready',
    dose: resolved.dose,
    needsReason: resolved.dose.outsideWindow,
    needsWitness: resolved.dose.isControlled,
    warnings: resolved.warnings,
  };
}

export interface Actor {
  userId: string;
  terminal: Terminal;
}

export async function administerDose(
  db: Kysely<Database>,
  request: AdministrationScan,
  now: Date,
  actor: Actor,
): Promise<ScanAdministration> {
  const resolved = await resolveScan(db, request, now, { toRecord: true });
  if (resolved.outcome === 'stopped') return resolved;
  const { dose, order, clock } = resolved;
  if (dose.outsideWindow && !request.outOfWindowReason)
    return stop(
      'wrong-time',
      `WRONG TIME: ${dose.medicineName} is due at ${clockTime(resolved.scheduledFor, clock.timeZone)}, outside the ±${clock.windowMinutes} min window. Give a reason to go on.`,
    );
  let witnessedBy: string | null = null;
  if (dose.isControlled) {
    if (!request.witness)
      return stop(
        'witness-needed',
        `CONTROLLED DRUG: ${dose.medicineName} needs a second nurse to witness, with their own email and password.`,
      );
    try {
      // Before any write: a wrong password commits its failed-sign-in count, as at sign-in.
      const witness = await confirmWitness(db, request.witness, {
        performerId: actor.userId,
        terminal: actor.terminal,
        allowedRoles: WITNESS_ROLES,
        action: 'ward/administer-dose',
        now: clock.now,
      });
      witnessedBy = witness.userId;
    } catch (error) {
      if (error instanceof ClinicFailure && !error.commitFirst && (error.code === 'Forbidden' || error.code === 'Validation'))
        return stop('witness-refused', `WITNESS NOT ACCEPTED: ${error.message}`);
      throw error;
    }
  }
  // The witness's audit row must outlive a refused insert (the stop below commits it): only then is the
  // insert's failure contained in a savepoint; otherwise a refusal ends a transaction that wrote nothing.
  if (witnessedBy) await sql`SAVEPOINT administration`.execute(db);
  const { administrationId } = resolved;
  if (administrationId === null) throw new Error('The scan read draws the dose id when it is to record one');
  let stored: boolean;
  try {
    stored = await insertAdministrationAs(db, administrationId, {
      prescriptionId: order.prescriptionId,
      patientId: request.patientId,
      scheduledFor: resolved.scheduledFor,
      outcome: 'given',
      reason: dose.outsideWindow ? (request.outOfWindowReason ?? null) : null,
      doseAmount: order.doseAmount,
      doseUnit: order.doseUnit,
      scannedCode: resolved.scannedCode,
      dispenseTransactionId: resolved.dispenseTransactionId,
      recordedBy: actor.userId,
      witnessedBy,
      correctsAdministrationId: null,
    });
  } catch (error) {
    if (witnessedBy) await sql`ROLLBACK TO SAVEPOINT administration`.execute(db);
    // Another nurse's PRN dose committed between the check and the insert: the database refused.
    const code = (error as { code?: string }).code;
    if (code === 'MAR02') return stop('prn-too-soon', `TOO SOON: another dose of ${dose.medicineName} was just given. Check the chart.`);
    if (code === 'MAR03') return stop('prn-limit-reached', `TOO MANY: the 24-hour maximum of ${dose.medicineName} was just reached.`);
    throw error;
  }
  if (!stored) {
    const [latest] = await findCountingAdministrations(db, [order.prescriptionId], resolved.scheduledFor);
    if (latest) return alreadyRecorded(order, latest, clock);
    return stop('already-given', `ALREADY GIVEN: ${dose.medicineName} was just recorded by someone else. Do not give it again.`);
  }
  return { outcome: 'recorded', administrationId, dose, givenAt: clock.now.toISOString(), warnings: resolved.warnings };
}
