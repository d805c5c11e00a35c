import type { Permission } from '../../../contract/permissions.js';
import type { SessionUser } from '../../../contract/index.js';
import { hashPassword, verifyPassword } from '../../auth/password.js';
import { readSealedJson, writeSealedJson, type SealedFiles } from '../../security/sealed-file.js';

/** Who may sign in on this terminal while the database is unreachable, and as what. */
export const OFFLINE_SIGN_IN_DAYS = 7;
/** Offline, everyone works as front desk at most: booking and registering, nothing clinical. */
export const OFFLINE_PERMISSIONS: readonly Permission[] = ['patients.read', 'patients.write', 'appointments.read', 'appointments.write'];

interface CachedUser {
  userId: string;
  email: string;
  displayName: string;
  /** A fresh argon2id hash made on this terminal at the last online sign-in (never the server's). */
  verifier: string;
  permissions: Permission[];
  lastOnlineSignIn: string;
  /** Wrong passwords offline since the last good one: the lockout holds without the database too. */
  failedAttempts?: number;
  lockedUntil?: string | null;
  /** The server's fingerprint of this user's password hash, first seen after remembering them. */
  fingerprint?: string;
  /**
   * The working set (its id) the server confirmed, in this user's own context, they could see
   * whole online. Offline, the terminal serves a user only the working set they are covered for.
   */
  coveredSet?: string;
}

const FILE = 'offline-users.bin';
const DAY = 86_400_000;
/** The shipped lockout (the hospital's own settings are out of reach offline): 5 wrong, 15 minutes. */
export const OFFLINE_LOCKOUT = { threshold: 5, minutes: 15 };

/**
 * The sealed store of offline sign-in verifiers. Remembered at each successful online sign-in;
 * forgotten after 7 days, or at once when the user is deactivated or changes password online.
 * A file that is missing, damaged or an older copy (its generation is behind the keychain's) holds
 * no one: no offline sign-in for anyone, and so no lockout to escape, until the next online one.
 */
export function offlineCredentials(dir: string, files: SealedFiles) {
  const file = `${dir}/${FILE}`;
  const load = (): CachedUser[] => {
    const read = readSealedJson<CachedUser[]>(file, 'offline-users', files);
    return read.status === 'ok' && Array.isArray(read.value) ? read.value : [];
  };
  const save = (users: CachedUser[]) => writeSealedJson(file, 'offline-users', files, users);

  return {
    async remember(user: SessionUser, password: string, now: Date): Promise<void> {
      const verifier = await hashPassword(password);
      const permissions = user.permissions.filter((p) => OFFLINE_PERMISSIONS.includes(p));
      const users = load();
      // What the server last confirmed this user can see does not change by their signing in again.
      const coveredSet = users.find((u) => u.userId === user.userId)?.coveredSet;
      const others = users.filter(
        (u) => u.userId !== user.userId && now.getTime() - Date.parse(u.lastOnlineSignIn) < OFFLINE_SIGN_IN_DAYS * DAY,
      );
      save([
        ...others,
        {
          userId: user.userId,
          email: user.email,
          displayName: user.displayName,
          verifier,
          permissions,
          lastOnlineSignIn: now.toISOString(),
          coveredSet,
        },
      ]);
    },
    /** Who is remembered here (for the server to confirm they are still active, with the same password). */
    userIds: (): string[] => load().map((u) => u.userId),
    /**
     * Applies what the server says of the remembered users: anyone switched off, gone, or with a
     * password changed since (another fingerprint) is forgotten; a first fingerprint is kept; and
     * each is covered for working set `coverage.setId` only if the server showed them all of it.
     */
    reconcile(
      asked: string[],
      server: { userId: string; isActive: boolean; fingerprint: string }[],
      coverage: { setId: string; covered: ReadonlySet<string> } | null = null,
    ): string[] {
      const byId = new Map(server.map((s) => [s.userId, s]));
      const forgotten: string[] = [];
      const kept = load().flatMap((u) => {
        if (!asked.includes(u.userId)) return [u]; // remembered while the server was being asked
        const now = byId.get(u.userId);
        if (!now || !now.isActive || (u.fingerprint !== undefined && u.fingerprint !== now.fingerprint)) {
          forgotten.push(u.email);
          return [];
        }
        return [
          {
            ...u,
            fingerprint: now.fingerprint,
            coveredSet: coverage?.covered.has(u.userId) ? coverage.setId : coverage ? undefined : u.coveredSet,
          },
        ];
      });
      save(kept);
      return forgotten;
    },
    /** The users the server last confirmed see all of working set `setId` (no set: no one). */
    coveredUsers(setId: string | null): Set<string> {
      return new Set(
        setId === null
          ? []
          : load()
              .filter((u) => u.coveredSet === setId)
              .map((u) => u.userId),
      );
    },
    forget(userId: string): void {
      save(load().filter((u) => u.userId !== userId));
    },
    /** Until when offline sign-in is locked for this email after wrong passwords; null when it is not. */
    lockedUntil(email: string, now: Date): Date | null {
      const cached = load().find((u) => u.email === email.trim().toLowerCase());
      const until = cached?.lockedUntil ? new Date(cached.lockedUntil) : null;
      return until && until > now ? until : null;
    },
    /** A session user with at most front-desk permissions, or null (same answer for every failure). */
    async signIn(email: string, password: string, now: Date): Promise<SessionUser | null> {
      const users = load();
      const cached = users.find((u) => u.email === email.trim().toLowerCase());
      const fresh = cached !== undefined && now.getTime() - Date.parse(cached.lastOnlineSignIn) < OFFLINE_SIGN_IN_DAYS * DAY;
      const locked = cached?.lockedUntil ? new Date(cached.lockedUntil) > now : false;
      const matches = await verifyPassword(fresh ? cached.verifier : null, password);
      if (cached && fresh && !locked) {
        // Count wrong passwords (and clear them after a right one), sealed like the verifiers.
        const failedAttempts = matches ? 0 : (cached.failedAttempts ?? 0) + 1;
        const lockedUntil =
          failedAttempts >= OFFLINE_LOCKOUT.threshold ? new Date(now.getTime() + OFFLINE_LOCKOUT.minutes * 60_000).toISOString() : null;
        save(users.map((u) => (u === cached ? { ...u, failedAttempts: lockedUntil ? 0 : failedAttempts, lockedUntil } : u)));
      }
      if (!cached || !fresh || locked || !matches || cached.permissions.length === 0) return null;
      return {
        userId: cached.userId,
        email: cached.email,
        displayName: cached.displayName,
        roles: ['front_desk'],
        permissions: cached.permissions,
        signedInAt: now.toISOString(),
        offline: true,
      };
    },
  };
}
