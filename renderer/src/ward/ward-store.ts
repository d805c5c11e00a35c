import { createContext, useContext, useMemo, useRef, useState, type RefObject } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import type { Bed } from '../../../contract/index.js';

export type WardView = 'board' | 'census' | 'round' | 'handover';
/** A dialog about one bed: admit into it, move its patient, discharge them, print their band, or ask for a clean. */
export type BedDialog = 'admit' | 'transfer' | 'discharge' | 'wristband' | 'clean' | null;

/** A bed's key on the board: 'room:bed'. */
export const bedKey = (bed: Pick<Bed, 'roomId' | 'bedNumber'>) => `${bed.roomId}:${bed.bedNumber}`;

/** The bed a key names on this board (undefined if the board has none such); no key: the first bed, where the cursor starts. */
export const bedAt = <B extends Pick<Bed, 'roomId' | 'bedNumber'>>(beds: readonly B[], key: string | null): B | undefined =>
  key === null ? beds[0] : beds.find((b) => bedKey(b) === key);

/**
 * What the Ward screen holds that is not the server's: which ward and view, the bed under the
 * cursor, the dialog and the chart open. One store per screen mount: another user starts afresh.
 */
export interface WardState {
  view: WardView;
  /** undefined: the user's own department. */
  departmentId: number | undefined;
  activeBed: string | null;
  dialog: BedDialog;
  /**
   * The bed the dialog was opened for (null: the board's first bed, the cursor's default). Pinned, so a
   * click on another bed while a Transfer or Discharge is open never turns it into another patient's.
   */
  dialogBed: string | null;
  /** Whose wristband the Wristband dialog prints: given when it opens, from the bed or the chart. */
  wristbandFor: number | null;
  /** The chart open (a patient number), over the board. */
  chart: number | null;
  notice: string | null;
  help: boolean;
  set(change: WardChange | ((state: WardState) => WardChange)): void;
}
type WardChange = Partial<Omit<WardState, 'set'>>;

export function createWardStore(): StoreApi<WardState> {
  return createStore<WardState>((set) => ({
    view: 'board',
    departmentId: undefined,
    activeBed: null,
    dialog: null,
    dialogBed: null,
    wristbandFor: null,
    chart: null,
    notice: null,
    help: false,
    set: (change) =>
      set((state) => {
        const next = typeof change === 'function' ? change(state) : change;
        if (next.dialog === undefined) return next;
        // Each opening pins afresh (a dialog left open is not modal: the nurse may open it again elsewhere).
        const bed = 'activeBed' in next ? (next.activeBed ?? null) : state.activeBed;
        return {
          ...next,
          dialogBed: next.dialog === null ? null : bed,
          wristbandFor: next.dialog === 'wristband' ? (next.wristbandFor ?? null) : null,
        };
      }),
  }));
}

/** Where shortcuts send the focus. */
export interface WardFocus {
  board: RefObject<HTMLDivElement | null>;
}

export const WardContext = createContext<{ store: StoreApi<WardState>; focus: WardFocus } | null>(null);

function useWardContext() {
  const context = useContext(WardContext);
  if (!context) throw new Error('Ward parts are used inside the Ward screen only.');
  return context;
}

export const useWard = <T>(select: (state: WardState) => T): T => useStore(useWardContext().store, select);
export const useWardFocus = (): WardFocus => useWardContext().focus;

export function useNewWardContext() {
  const [store] = useState(createWardStore);
  const board = useRef<HTMLDivElement>(null);
  return useMemo(() => ({ store, focus: { board } }), [store]);
}
