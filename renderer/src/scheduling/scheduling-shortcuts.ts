/** The Scheduling screen's shortcuts, as its help table and the README list them. */
export const SCHEDULING_SHORTCUTS = [
  ['Alt+P', 'Find a patient (type, then ↑ ↓ and Enter)'],
  ['Alt+N', 'Register a new patient (walk-in)'],
  ['Alt+D', 'Choose the doctor, or all doctors of a department'],
  ['Alt+S', 'Go to the slots (↑ ↓ Home End, Enter to book or open)'],
  ['Alt+PageUp / Alt+PageDown', 'Previous / next day (week in week view)'],
  ['Alt+T', 'Back to today'],
  ['Alt+W', 'Switch between day and week'],
  ['Enter / Esc', 'Confirm / back out of a booking'],
  ['1 2 3', 'After a clash: take one of the next free slots'],
  ['Alt+H', 'Show or hide these shortcuts'],
] as const;
