/** The Pharmacy screen's shortcuts, as its help table and the README list them. */
export const PHARMACY_SHORTCUTS = [
  ['Alt+Q', 'Verification queue (↑ ↓ Home End, Enter opens the order)'],
  ['Alt+O', 'The open order: patient, allergies, checks'],
  ['Alt+V', 'Verify the open order'],
  ['Alt+B', 'Query the open order back to the prescriber (with a reason)'],
  ['Alt+D', 'Dispense the open order (lots first expiry first out)'],
  ['Alt+I', 'Print the label of the last dispense'],
  ['Alt+S', 'Stock by lot (↑ ↓ Home End PageUp PageDown; a column header sorts)'],
  ['Alt+L', 'Ledger of every stock movement'],
  ['Alt+R', 'Reports: low stock, expiring, stock on hand, ledger (CSV, print)'],
  ['Alt+E', 'Receive a delivery'],
  ['Alt+C', 'Controlled drugs register and physical count'],
  ['Alt+P', 'Prescribe (doctors)'],
  ['← →', 'Move between the sections when a section tab has focus'],
  ['Alt+H', 'Show or hide these shortcuts'],
] as const;
