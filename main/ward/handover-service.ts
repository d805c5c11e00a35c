// The shift handover sheet: per occupied bed, SBAR prefilled from the bed, the orders and allergies, the
// latest observations and NEWS2, the doses due and missed, and the last notes. The nurse writes the
// recommendation (and adds to the rest) on screen and prints it.
import type { Kysely } from 'kysely';
import type { Handover, HandoverPatient } from '../../contract/ward.js';
import type { Database } from '../db/database.js';
import { ageInYears } from './beds-service.js';
import { allergyText, clockFor, describeOrder, dueDoses, marOrder, resolveDepartment } from './mar-service.js';
import { findAllergies, findCountingAdministrations, findGivableOrders, findWardPatients } from './mar.repository.js';
import { findNotes } from './notes.repository.js';
import { findLatestObservations } from './observations.repository.js';

const HOUR_MS = 3_600_000;
/** The doses a shift needs to know about: due, late, or scheduled within the next 12 hours. */
const NEXT_SHIFT_HOURS = 12;
const LAST_NOTES = 3;

export async function getHandover(db: Kysely<Database>, departmentId: number | undefined, now: Date): Promise<Handover> {
  const department = await resolveDepartment(db, departmentId);
  const clock = await clockFor(db, now);
  const beds = await findWardPatients(db, department.departmentId);
  const ids = beds.map((b) => b.patientId);
  const from = new Date(now.getTime() - 24 * HOUR_MS);
  const until = new Date(now.getTime() + NEXT_SHIFT_HOURS * HOUR_MS);
  const [orders, allergies, observations, notes] = await Promise.all([
    findGivableOrders(db, ids),
    findAllergies(db, ids),
    findLatestObservations(db, ids),
    findNotes(db, ids, LAST_NOTES, { standing: true }),
  ]);
  const recorded = await findCountingAdministrations(
    db,
    orders.map((o) => o.prescriptionId),
    from,
  );
  const patients = beds.map((bed): HandoverPatient => {
    const own = orders.filter((o) => o.patientId === bed.patientId);
    const lines = own.map((o) =>
      marOrder(
        o,
        recorded.filter((r) => r.prescriptionId === o.prescriptionId),
        from,
        new Date(until.getTime() + 1),
        clock,
      ),
    );
    const observation = observations.find((o) => o.patientId === bed.patientId) ?? null;
    return {
      patientId: bed.patientId,
      situation: {
        roomNumber: bed.roomNumber,
        bedNumber: bed.bedNumber,
        name: `${bed.firstName} ${bed.lastName}`,
        ageYears: ageInYears(bed.dateOfBirth, now),
        daysSinceAdmission: Math.max(0, Math.floor((now.getTime() - bed.admittedAt.getTime()) / (24 * HOUR_MS))),
        reason: bed.admissionNotes,
      },
      background: {
        allergies: allergies.filter((a) => a.patientId === bed.patientId).map(allergyText),
        activeMedicines: own.map(describeOrder),
      },
      assessment: {
        lastObservation: observation,
        news2: observation ? { score: observation.news2Score, response: observation.news2Response, takenAt: observation.takenAt } : null,
        dosesDue: lines.flatMap((line) => dueDoses(line, until)),
        dosesMissed: lines.flatMap((line) =>
          line.doses
            .filter((d) => d.state === 'missed')
            .map((d) => ({
              prescriptionId: line.prescriptionId,
              medicineName: line.medicineName,
              dose: line.dose,
              scheduledFor: d.scheduledFor,
              state: d.state,
            })),
        ),
        lastNotes: notes.filter((n) => n.patientId === bed.patientId),
      },
      recommendation: '',
    };
  });
  return { departmentId: department.departmentId, departmentName: department.name, takenAt: now.toISOString(), patients };
}
