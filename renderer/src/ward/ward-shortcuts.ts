/** The Ward screen's shortcuts, as its help table and the README list them. */
export const WARD_SHORTCUTS = [
  ['← → ↑ ↓ Home End', 'Move across the beds of the board'],
  ['Enter', 'Open the patient of the bed (a free bed: admit into it)'],
  ['Alt+B', 'Bed board'],
  ['Alt+C', 'Whole-hospital census'],
  ['Alt+M', 'Medication round (scan the wristband, then the medicine)'],
  ['Alt+O', 'Handover sheet (SBAR), printable on A4'],
  ['Alt+A', 'Admit a patient into the free bed chosen'],
  ['Alt+T', 'Transfer the patient of the bed chosen'],
  ['Alt+D', 'Discharge the patient of the bed chosen'],
  ['Alt+L', 'Cleaning done: free the bed chosen'],
  ['Alt+K', 'Ask housekeeping for a clean at the bed chosen (spill, isolation, deep)'],
  ['Alt+W', 'Wristband of the patient (preview, then print)'],
  ['Esc', 'Back out of a dialog, or from the chart to the board'],
  ['1–9', 'After a clash: take one of the free beds offered'],
  ['Alt+H', 'Show or hide these shortcuts'],
] as const;
