import { createContext, useContext, useMemo, useRef, useState, type RefObject } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import type { Appointment, Doctor, PatientSearchResult } from '../../../contract/index.js';
import { todayIso } from './dates.js';

/** The slot a booking is being confirmed for. */
export interface ChosenSlot {
  doctor: Doctor;
  date: string;
  time: string;
}

/**
 * What the Scheduling screen holds that is not the server's: whom the clerk is booking for, which
 * book is open, the slot being confirmed and the dialogs. One store per screen: leaving the screen
 * (or another user at the window) forgets it, as it always did.
 */
export interface SchedulingState {
  patient: PatientSearchResult | null;
  /** What the book shows: one doctor ('doctor:ID') or every doctor of a department ('department:ID'); null: the first doctor. */
  scope: string | null;
  date: string;
  view: 'day' | 'week';
  slot: ChosenSlot | null;
  opened: Appointment | null;
  moving: Appointment | null;
  notice: string | null;
  help: boolean;
  registering: boolean;
  /** A change, or one computed from the state as it is now (keys pressed faster than renders). */
  set(change: SchedulingChange | ((state: SchedulingState) => SchedulingChange)): void;
  pickPatient(patient: PatientSearchResult): void;
}

type SchedulingChange = Partial<Omit<SchedulingState, 'set' | 'pickPatient'>>;

export function createSchedulingStore(): StoreApi<SchedulingState> {
  return createStore<SchedulingState>((set) => ({
    patient: null,
    scope: null,
    date: todayIso(),
    view: 'day',
    slot: null,
    opened: null,
    moving: null,
    notice: null,
    help: false,
    registering: false,
    set: (change) => set(change),
    pickPatient: (patient) => set({ patient, notice: null }),
  }));
}

/** Where the keyboard shortcuts send the focus. */
export interface FocusTargets {
  search: RefObject<HTMLInputElement | null>;
  doctor: RefObject<HTMLSelectElement | null>;
  slots: RefObject<HTMLUListElement | null>;
}

export const SchedulingContext = createContext<{ store: StoreApi<SchedulingState>; focus: FocusTargets } | null>(null);

function useSchedulingContext() {
  const context = useContext(SchedulingContext);
  if (!context) throw new Error('Scheduling parts are used inside the Scheduling screen only.');
  return context;
}

/** A part of the screen's state (re-renders only when that part changes). */
export const useScheduling = <T>(select: (state: SchedulingState) => T): T => useStore(useSchedulingContext().store, select);

export const useFocusTargets = (): FocusTargets => useSchedulingContext().focus;

/** The screen's own store and focus targets, made once per mount. */
export function useNewSchedulingContext() {
  const [store] = useState(createSchedulingStore);
  const search = useRef<HTMLInputElement>(null);
  const doctor = useRef<HTMLSelectElement>(null);
  const slots = useRef<HTMLUListElement>(null);
  return useMemo(() => ({ store, focus: { search, doctor, slots } }), [store]);
}
