import { create } from 'zustand';
import type { ClinicError } from '../../../contract/errors.js';
import type { DemoAccounts, SessionUser, SystemStatus } from '../../../contract/schemas.js';
import { call } from '../clinic-client.js';

export type ScreenId = 'ward' | 'pharmacy' | 'scheduling' | 'admin';

interface SessionState {
  user: SessionUser | null;
  status: SystemStatus | null;
  demoAccounts: DemoAccounts | null;
  screen: ScreenId;
  loaded: boolean;
  load(): Promise<void>;
  signIn(email: string, password: string): Promise<ClinicError | null>;
  signOut(): Promise<void>;
  setStatus(status: SystemStatus): void;
  show(screen: ScreenId): void;
}

export const useSession = create<SessionState>((set) => ({
  user: null,
  status: null,
  demoAccounts: null,
  screen: 'ward',
  loaded: false,
  async load() {
    const [current, status, demo] = await Promise.all([
      call('session/get-current', {}),
      call('system/get-status', {}),
      call('system/get-demo-accounts', {}),
    ]);
    set({
      user: current.ok ? current.value : null,
      status: status.ok ? status.value : null,
      demoAccounts: demo.ok ? demo.value : null,
      loaded: true,
    });
  },
  async signIn(email, password) {
    const result = await call('session/sign-in', { email, password });
    if (!result.ok) return result.error;
    set({ user: result.value, screen: firstScreenFor(result.value) });
    return null;
  },
  async signOut() {
    await call('session/sign-out', {});
    // Nothing of the previous user's screen state survives sign-out.
    set({ user: null, screen: 'ward' });
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
  if (can('users.manage')) screens.push('admin');
  return screens;
}

function firstScreenFor(user: SessionUser): ScreenId {
  return screensFor(user)[0] ?? 'ward';
}
