import { z } from 'zod';
import { defineChannel, type ChannelMap } from './channel.js';
import { Email, Empty, IsoDateTime, NewPassword, Password, PermissionSchema, RoleNameSchema, Uuid } from './common.js';

export const SessionUser = z.object({
  userId: Uuid,
  email: z.string(),
  displayName: z.string(),
  roles: z.array(RoleNameSchema),
  permissions: z.array(PermissionSchema),
  signedInAt: IsoDateTime,
  /** Signed in with the password kept on this terminal while the database was down (front desk only). */
  offline: z.literal(true).optional(),
});
export type SessionUser = z.infer<typeof SessionUser>;

/** The session main holds for this window, as the renderer may know it. */
export const SessionState = z.object({
  user: SessionUser,
  locked: z.boolean(),
  lockAfterMinutes: z.number().int().positive(),
  expiresAt: IsoDateTime,
});
export type SessionState = z.infer<typeof SessionState>;

/** Signing in and out, the screen lock, and a user's own password. */
export const sessionChannels = {
  'session/sign-in': defineChannel({
    input: z.object({ email: Email, password: Password }).strict(),
    output: SessionState,
    access: 'public',
    doc: 'Check email and password and start a session bound to this window (replacing a locked one: user switch).',
  }),
  'session/sign-out': defineChannel({
    input: Empty,
    output: z.object({ signedOut: z.literal(true) }),
    access: 'session',
    doc: "End this window's session.",
  }),
  'session/get-current': defineChannel({
    input: Empty,
    output: SessionState.nullable(),
    access: 'public',
    doc: 'The session on this window (and whether it is locked), or null.',
  }),
  'session/unlock-screen': defineChannel({
    input: z.object({ password: Password }).strict(),
    output: SessionState,
    access: 'session',
    doc: 'Unlock this window for the same user with their password.',
  }),
  'session/report-activity': defineChannel({
    input: Empty,
    output: z.object({ locked: z.boolean() }),
    access: 'session',
    doc: 'Keyboard or pointer activity on the screen: postpones the idle lock.',
  }),
  'session/change-password': defineChannel({
    input: z.object({ currentPassword: Password, newPassword: NewPassword }).strict(),
    output: z.object({ passwordChanged: z.literal(true) }),
    access: 'signed-in',
    doc: 'Change your own password (the current one is required); ends your other sessions.',
  }),
  'session/redeem-reset-token': defineChannel({
    input: z.object({ email: Email, token: z.string().trim().min(20).max(100), newPassword: NewPassword }).strict(),
    output: z.object({ passwordChanged: z.literal(true) }),
    access: 'public',
    doc: 'Set a new password with a one-time code from an administrator.',
  }),
} as const satisfies ChannelMap<'session'>;
