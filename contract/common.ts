import { z } from 'zod';
import { PERMISSIONS, ROLE_NAMES } from './permissions.js';

// Value shapes every feature uses. Bounds are deliberate: every string and number has a ceiling so a
// hostile or buggy renderer cannot push megabytes or non-finite numbers towards SQL.
export const Email = z.string().trim().toLowerCase().max(255).email('Enter a valid email address');
export const Password = z.string().min(1, 'Enter your password').max(1024);
/** New passwords: long enough to resist guessing, bounded so hashing stays cheap to refuse. */
export const NewPassword = z.string().min(12, 'Use at least 12 characters').max(256, 'Use at most 256 characters');
export const PatientId = z.number().int().positive().max(2_147_483_647);
/**
 * A patient or appointment as this terminal knows it: positive ids are the server's; negative ids
 * are provisional, given to a walk-in or booking saved on this terminal while offline.
 */
export const LocalId = z
  .number()
  .int()
  .min(-2_147_483_648)
  .max(2_147_483_647)
  .refine((n) => n !== 0, 'Not a valid id');
/** Present (true) on what is saved on this terminal and not yet on the server. */
export const Queued = z.literal(true).optional();
export const Uuid = z.string().uuid();
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-01-31');
export const IsoDateTime = z.string().datetime({ offset: true });
export const Empty = z.object({}).strict();

export const PermissionSchema = z.enum(PERMISSIONS);
export const RoleNameSchema = z.enum(ROLE_NAMES);

/**
 * A second person's own sign-in, typed on the same terminal to witness a controlled-drug movement
 * (pharmacy) or administration (ward). Checked like a sign-in and audited as the witness.
 */
export const WitnessInput = z.object({ email: Email, password: Password }).strict();
export type WitnessInput = z.infer<typeof WitnessInput>;
