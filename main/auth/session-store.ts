import type { SessionUser } from '../../contract/schemas.js';

/** Identifies the window (webContents) a request came from; sessions are bound to it. */
export type SenderId = string;

export interface Session {
  user: SessionUser;
  senderId: SenderId;
  startedAt: number;
}

/** Sessions live only in main's memory: the renderer never holds a token it could replay. */
export function createSessionStore() {
  const byWindow = new Map<SenderId, Session>();
  return {
    get: (senderId: SenderId): Session | undefined => byWindow.get(senderId),
    start(senderId: SenderId, user: SessionUser, now = Date.now()): Session {
      const session = { user, senderId, startedAt: now };
      byWindow.set(senderId, session);
      return session;
    },
    end: (senderId: SenderId): boolean => byWindow.delete(senderId),
    /** Ends every session of one user (e.g. after a password reset or deactivation). */
    endAllFor(userId: string): number {
      let ended = 0;
      for (const [id, s] of byWindow) if (s.user.userId === userId && byWindow.delete(id)) ended += 1;
      return ended;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
