import { create } from 'zustand';
import type { ClinicError } from '../../../contract/errors.js';
import type { DemoAccounts, SessionState, SessionUser, SystemStatus } from '../../../contract/schemas.js';
import { call } from '../clinic-client.js';

export type ScreenId = 'ward' | 'pharmacy' | 'scheduling' | 'admin' | 'attention';

interface SessionStore {
  session: SessionState | null;
  status: SystemStatus | null;
  demoAccounts: DemoAccounts | null;
  screen: ScreenId;
  /** Bumped whenever a different user takes the window: remounts every screen from scratch. */
  generation: number;
  loaded: boolean;
  load(): Promise<void>;
  signIn(email: string, password: string): Promise<ClinicError | null>;
  unlock(password: string): Promise<ClinicError | null>;
  signOut(): Promise<void>;
  markLocked(): void;
  refresh(): Promise<void>;
  setStatus(status: SystemStatus): void;
  show(screen: ScreenId): void;
}

export const useSession = create<SessionStore>((set, get) => ({
  session: null,
  status: null,
  demoAccounts: null,
  screen: 'ward',
  generation: 0,
  loaded: false,
  async load() {
    const [current, status, demo] = await Promise.all([
      call('session/get-current', {}),
      call('system/get-status', {}),
      call('system/get-demo-accounts', {}),
    ]);
    const session = current.ok ? current.value : null;
    set({
      session,
      screen: session ? firstScreenFor(session.user) : 'ward',
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
    else set({ session: result.value, screen: firstScreenFor(result.value.user), generation: get().generation + 1 });
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
    set({ session: null, screen: 'ward', generation: get().generation + 1 });
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
  show: (screen) => set({ screen }),
}));

/** Which screens a user may open, from the permissions main gave the session. */
export function screensFor(user: SessionUser): ScreenId[] {
  const can = (p: SessionUser['permissions'][number]) => user.permissions.includes(p);
  const screens: ScreenId[] = [];
  if (can('rooms.read') || can('medical_records.read')) screens.push('ward');
  if (can('pharmacy.dispense') || can('pharmacy.stock')) screens.push('pharmacy');
  if (can('appointments.read')) screens.push('scheduling');
  if (can('users.manage') || can('settings.manage')) screens.push('admin');
  return screens;
}

function firstScreenFor(user: SessionUser): ScreenId {
  return screensFor(user)[0] ?? 'ward';
}
