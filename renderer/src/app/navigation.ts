import { create } from 'zustand';
import type { SessionUser } from '../../../contract/index.js';

export type ScreenId = 'ward' | 'pharmacy' | 'scheduling' | 'admin' | 'billing' | 'ambulance' | 'housekeeping' | 'attention';

interface Navigation {
  /** The screen asked for; null: the user's first screen. Kept across the lock, forgotten for another user. */
  screen: ScreenId | null;
  show(screen: ScreenId): void;
  reset(): void;
}

export const useNavigation = create<Navigation>((set) => ({
  screen: null,
  show: (screen) => set({ screen }),
  reset: () => set({ screen: null }),
}));

/** Which screens a user may open, from the permissions main gave the session. */
export function screensFor(user: SessionUser): ScreenId[] {
  const can = (p: SessionUser['permissions'][number]) => user.permissions.includes(p);
  const screens: ScreenId[] = [];
  if (can('rooms.read') || can('medical_records.read')) screens.push('ward');
  // Doctors reach the Pharmacy screen for its Prescribe section only (the screen shows them nothing else).
  if (can('pharmacy.dispense') || can('pharmacy.stock') || can('prescriptions.write')) screens.push('pharmacy');
  if (can('appointments.read')) screens.push('scheduling');
  if (can('users.manage') || can('settings.manage')) screens.push('admin');
  // The hospital's services come after the clinical screens and Admin, so Alt+1…4 keep their screens.
  if (can('billing.read')) screens.push('billing');
  if (can('ambulance.read')) screens.push('ambulance');
  if (can('cleaning.read')) screens.push('housekeeping');
  return screens;
}
