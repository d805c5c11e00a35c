// Who may witness a controlled drug's movement, and when one is needed: one rule for dispensing,
// disposal, adjustment and counts. The database checks the same (migration 024) for any client.
import type { Kysely } from 'kysely';
import type { WitnessInput } from '../../contract/common.js';
import type { Database } from '../db/database.js';
import { confirmWitness, type ConfirmedWitness } from '../session/index.js';
import { failure } from '../shared/failure.js';
import type { Terminal } from '../shared/terminal.js';

export const PHARMACY_WITNESS_ROLES = ['pharmacist', 'nurse'] as const;

/** Who is acting, where and when: what a witness check needs beside the witness's own sign-in. */
export interface Actor {
  userId: string;
  terminal: Terminal;
  now: Date;
}

/**
 * The confirmed witness, or null when none is needed and none was given. A controlled drug without a
 * witness is refused before anything is written; a given witness is always checked (and audited).
 */
export async function witnessWhereNeeded(
  db: Kysely<Database>,
  medicine: { name: string; isControlled: boolean },
  witness: WitnessInput | undefined,
  actor: Actor,
  action: string,
): Promise<ConfirmedWitness | null> {
  if (!witness) {
    if (medicine.isControlled)
      throw failure(
        'Validation',
        `${medicine.name} is a controlled drug: a second pharmacist or nurse must witness this with their own sign-in.`,
        [{ path: 'witness', message: 'A witness is required for a controlled drug' }],
      );
    return null;
  }
  return confirmWitness(db, witness, {
    performerId: actor.userId,
    terminal: actor.terminal,
    allowedRoles: PHARMACY_WITNESS_ROLES,
    action,
    now: actor.now,
  });
}
