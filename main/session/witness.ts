// A second person confirms an act on the same terminal by typing their own email and password
// (controlled drugs in the pharmacy, on the ward round). Checked exactly like a sign-in — the same
// lockout counting and the same-cost decoy for an unknown email — and audited as the witness.
import { sql, type Kysely } from 'kysely';
import type { RoleName, WitnessInput } from '../../contract/index.js';
import type { Database } from '../db/database.js';
import { ClinicFailure, committedFailure, failure } from '../shared/failure.js';
import type { Terminal } from '../shared/terminal.js';
import { checkPassword, refuseUnknownEmail } from './session-service.js';
import { findRolesAndPermissions, findUserByEmail } from './users.repository.js';

export interface WitnessOptions {
  /** The signed-in user whose act is witnessed: never their own witness. */
  performerId: string;
  terminal: Terminal;
  /** Roles of which the witness must hold one (the pharmacy: pharmacist or nurse). */
  allowedRoles: readonly RoleName[];
  /** The witnessed act, named like a channel ('pharmacy/dispense-order'): it goes into the audit row. */
  action: string;
  now: Date;
}

export interface ConfirmedWitness {
  userId: string;
  displayName: string;
}

export const SAME_PERSON = 'A witness must be another person than the one who does this.';

const roleList = (roles: readonly RoleName[]) => roles.map((r) => r.replace('_', ' ')).join(' or ') || 'no role (nobody may witness this)';

/** The witness's account once their password is proved (or a refusal, counted like a sign-in's). */
async function signedInWitness(trx: Kysely<Database>, credentials: WitnessInput, opts: WitnessOptions) {
  const user = await findUserByEmail(trx, credentials.email);
  if (!user) return refuseUnknownEmail(trx, credentials.email, credentials.password, opts.terminal, opts.now);
  if (user.user_id === opts.performerId) throw failure('Validation', SAME_PERSON, [{ path: 'witness.email', message: SAME_PERSON }]);
  await checkPassword(trx, user, credentials.password, opts.terminal, opts.now);
  return user;
}

/**
 * Checks the witness and writes their audit row. Call it BEFORE any write of the calling transaction:
 * a wrong password fails with a committed failure (the counter and audit row must stay, as at sign-in),
 * which commits whatever the transaction holds at that moment.
 */
export async function confirmWitness(trx: Kysely<Database>, credentials: WitnessInput, opts: WitnessOptions): Promise<ConfirmedWitness> {
  let user: Awaited<ReturnType<typeof signedInWitness>>;
  try {
    user = await signedInWitness(trx, credentials, opts);
  } catch (error) {
    // Same counting and audit as a sign-in; the words say it was the witness's sign-in that failed.
    if (error instanceof ClinicFailure && error.code === 'Unauthorized')
      throw committedFailure('Unauthorized', `The witness could not be confirmed. ${error.message}`);
    throw error;
  }
  const { roles } = await findRolesAndPermissions(trx, user.user_id);
  if (!roles.some((role) => (opts.allowedRoles as readonly string[]).includes(role)))
    throw failure('Forbidden', `The witness must be a ${roleList(opts.allowedRoles)}.`);
  // The audit row names the witness as its user and the signed-in performer beside them.
  await sql`SELECT record_witness(${user.user_id}::uuid, ${opts.action}, ${opts.terminal.name})`.execute(trx);
  return { userId: user.user_id, displayName: user.display_name };
}
