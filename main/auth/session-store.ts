import type { SessionState, SessionUser } from '../../contract/index.js';

/** Identifies the window (webContents) a request came from; sessions are bound to it. */
export type SenderId = string;

export interface Session {
  user: SessionUser;
  senderId: SenderId;
  startedAt: number;
  lastActivityAt: number;
  lockedAt: number | null;
  idleMs: number;
  maxMs: number;
}

export type SessionStatus = 'none' | 'active' | 'locked' | 'expired';

const MINUTE = 60_000;

/**
 * Sessions live only in main's memory: the renderer never holds a token it could replay.
 * Time comes from `now()` so idle locks and the absolute limit are testable on a fake clock.
 */
export function createSessionStore(now: () => number = Date.now) {
  const byWindow = new Map<SenderId, Session>();

  /** Applies the idle lock and the absolute limit lazily, whenever a session is looked at. */
  function refresh(session: Session, at: number): SessionStatus {
    if (at - session.startedAt >= session.maxMs) return 'expired';
    if (session.lockedAt === null && at - session.lastActivityAt >= session.idleMs)
      session.lockedAt = session.lastActivityAt + session.idleMs;
    return session.lockedAt === null ? 'active' : 'locked';
  }

  return {
    get: (senderId: SenderId): Session | undefined => byWindow.get(senderId),
    status(senderId: SenderId): SessionStatus {
      const session = byWindow.get(senderId);
      if (!session) return 'none';
      const status = refresh(session, now());
      if (status === 'expired') byWindow.delete(senderId);
      return status;
    },
    start(senderId: SenderId, user: SessionUser, limits: { idleMinutes: number; maxHours: number }): Session {
      const at = now();
      const session: Session = {
        user,
        senderId,
        startedAt: at,
        lastActivityAt: at,
        lockedAt: null,
        idleMs: limits.idleMinutes * MINUTE,
        maxMs: limits.maxHours * 60 * MINUTE,
      };
      byWindow.set(senderId, session);
      return session;
    },
    /** Activity postpones the idle lock; it never reopens a locked session. */
    touch(senderId: SenderId): void {
      const session = byWindow.get(senderId);
      if (session && refresh(session, now()) === 'active') session.lastActivityAt = now();
    },
    unlock(senderId: SenderId): void {
      const session = byWindow.get(senderId);
      if (!session) return;
      session.lockedAt = null;
      session.lastActivityAt = now();
    },
    end: (senderId: SenderId): boolean => byWindow.delete(senderId),
    /** Ends every session of one user (password reset, deactivation), except `keep`. */
    endAllFor(userId: string, keep?: SenderId): number {
      let ended = 0;
      for (const [id, s] of byWindow) if (s.user.userId === userId && id !== keep && byWindow.delete(id)) ended += 1;
      return ended;
    },
    /** Windows whose session has just locked or expired, for main to tell them so. */
    sweep(): { senderId: SenderId; reason: 'idle' | 'expired' }[] {
      const changed: { senderId: SenderId; reason: 'idle' | 'expired' }[] = [];
      for (const [id, s] of byWindow) {
        const wasLocked = s.lockedAt !== null;
        const status = refresh(s, now());
        if (status === 'expired') {
          byWindow.delete(id);
          changed.push({ senderId: id, reason: 'expired' });
        } else if (status === 'locked' && !wasLocked) changed.push({ senderId: id, reason: 'idle' });
      }
      return changed;
    },
    view(session: Session): SessionState {
      return {
        user: session.user,
        locked: session.lockedAt !== null,
        lockAfterMinutes: Math.round(session.idleMs / MINUTE),
        expiresAt: new Date(session.startedAt + session.maxMs).toISOString(),
      };
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
