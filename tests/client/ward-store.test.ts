// The ward screen's client state: a bed dialog stays with the bed it was opened for.
import { describe, expect, it } from 'vitest';
import { createWardStore } from '../../renderer/src/ward/ward-store.js';

describe('the ward store', () => {
  it("pins a dialog to the bed it was opened for: the cursor moving on never makes it another patient's", () => {
    const store = createWardStore();
    const { set } = store.getState();
    set({ activeBed: '7:2' });
    set({ dialog: 'transfer' });
    expect(store.getState()).toMatchObject({ dialog: 'transfer', dialogBed: '7:2' });
    set({ activeBed: '7:1' }); // a click on another bed while the dialog is open
    expect(store.getState()).toMatchObject({ dialog: 'transfer', dialogBed: '7:2', activeBed: '7:1' });
    set({ dialog: null, notice: 'moved' });
    expect(store.getState().dialogBed).toBeNull();
    // Opened with the bed in the same change (Enter on a free bed), or as a function of the state.
    set({ dialog: 'admit', activeBed: '8:1' });
    expect(store.getState().dialogBed).toBe('8:1');
    set(() => ({ dialog: 'discharge' }));
    expect(store.getState()).toMatchObject({ dialog: 'discharge', dialogBed: '8:1' });
  });
});
