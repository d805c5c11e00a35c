// The ward screen's client state: a bed dialog stays with the bed, a wristband with the patient, it was opened for.
import { describe, expect, it } from 'vitest';
import { bedAt, createWardStore } from '../../renderer/src/ward/ward-store.js';

describe('the ward store', () => {
  it("pins a dialog to the bed it was opened for: the cursor moving on never makes it another patient's", () => {
    const store = createWardStore();
    const { set } = store.getState();
    set({ activeBed: '7:2' });
    set({ dialog: 'transfer' });
    expect(store.getState()).toMatchObject({ dialog: 'transfer', dialogBed: '7:2' });
    set({ activeBed: '7:1' }); // a click on another bed while the dialog is open
    expect(store.getState()).toMatchObject({ dialog: 'transfer', dialogBed: '7:2', activeBed: '7:1' });
    // Opened again there (the dialog is not modal): it is about that bed now.
    set({ dialog: 'transfer' });
    expect(store.getState()).toMatchObject({ dialog: 'transfer', dialogBed: '7:1' });
    set({ dialog: null, notice: 'moved' });
    expect(store.getState().dialogBed).toBeNull();
    // Opened with the bed in the same change (Enter on a free bed), or as a function of the state.
    set({ dialog: 'admit', activeBed: '8:1' });
    expect(store.getState().dialogBed).toBe('8:1');
    set({ dialog: 'admit', activeBed: '8:3' }); // Enter on another free bed while Admit is open
    expect(store.getState().dialogBed).toBe('8:3');
    set(() => ({ dialog: 'discharge' }));
    expect(store.getState()).toMatchObject({ dialog: 'discharge', dialogBed: '8:3' });
  });

  it('prints the wristband of the patient it was opened for, whatever opens next', () => {
    const store = createWardStore();
    const { set } = store.getState();
    set({ dialog: 'wristband', wristbandFor: 41 });
    set({ chart: 42, activeBed: '7:1' }); // Enter on another occupied bed opens that chart
    expect(store.getState()).toMatchObject({ dialog: 'wristband', wristbandFor: 41 });
    set({ dialog: 'transfer' });
    expect(store.getState().wristbandFor).toBeNull();
  });

  it('finds a bed by its key on the board shown: no key is the first bed, a key the board lacks is none', () => {
    const board = [
      { roomId: 7, bedNumber: 1 },
      { roomId: 7, bedNumber: 2 },
    ];
    expect(bedAt(board, '7:2')).toBe(board[1]);
    expect(bedAt(board, null)).toBe(board[0]);
    expect(bedAt(board, '9:1')).toBeUndefined();
    expect(bedAt([], null)).toBeUndefined();
  });
});
