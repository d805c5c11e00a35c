import { create } from 'zustand';
import type { ClinicError, DemoAccounts, Permission, SessionState, SystemStatus } from '../../../contract/index.js';
import { call } from '../client/clinic-client.js';

/**
 * Who is at this window and what main says of the database: client state, kept by zustand.
 * Signing in, unlocking and signing out change it, so they live here rather than in a query.
 */
interface SessionStore {
  session: SessionState | null;
  status: SystemStatus | null;
  demoAccounts: DemoAccounts | null;
  /** Bumped whenever a different user takes the window: remounts every screen and empties the cache. */
  generation: number;
  loaded: boolean;
  load(): Promise<void>;
  signIn(email: string, password: string): Promise<ClinicError | null>;
  unlock(password: string): Promise<ClinicError | null>;
  signOut(): Promise<void>;
  markLocked(): void;
  refresh(): Promise<void>;
  setStatus(status: SystemStatus): void;
}

export const useSession = create<SessionStore>((set, get) => ({
  session: null,
  status: null,
  demoAccounts: null,
  generation: 0,
  loaded: false,
  async load() {
    const [current, status, demo] = await Promise.all([
      call('session/get-current', {}),
      call('system/get-status', {}),
      call('system/get-demo-accounts', {}),
    ]);
    set({
      session: current.ok ? current.value : null,
      status: status.ok ? status.value : null,
      demoAccounts: demo.ok ? demo.value : null,
      loaded: true,
    });
  },
  async signIn(email, password) {
    const result = await call('session/sign-in', { email, password });
    if (!result.ok) return result.error;
    const previous = get().session?.user.userId;
    if (previous === result.value.user.userId) set({ session: result.value });
    // Another user (or the first one): nothing of the previous screen state survives.
    else set({ session: result.value, generation: get().generation + 1 });
    return null;
  },
  async unlock(password) {
    const result = await call('session/unlock-screen', { password });
    if (!result.ok) return result.error;
    set({ session: result.value });
    return null;
  },
  async signOut() {
    await call('session/sign-out', {});
    set({ session: null, generation: get().generation + 1 });
  },
  markLocked() {
    const session = get().session;
    if (session && !session.locked) set({ session: { ...session, locked: true } });
  },
  /** Asks main again: after an Unauthorized answer the session may be locked or gone. */
  async refresh() {
    const current = await call('session/get-current', {});
    if (!current.ok) return;
    if (current.value === null) set({ session: null, generation: get().generation + 1 });
    else set({ session: current.value });
  },
  setStatus: (status) => set({ status }),
}));

/** Whether the signed-in user holds a permission (false when no one is). */
export const useCan = (permission: Permission): boolean => useSession((s) => s.session?.user.permissions.includes(permission) ?? false);
