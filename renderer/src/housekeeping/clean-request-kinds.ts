/** The cleans anyone may ask for (housekeeping's form, the ward's Alt+K), each with how urgent it is. */
export const CLEAN_REQUEST_KINDS = [
  { type: 'Spill', label: 'Spill (within 30 min)' },
  { type: 'Isolation', label: 'Isolation (infection control)' },
  { type: 'Deep', label: 'Deep clean' },
] as const;
export type CleanRequestKind = (typeof CLEAN_REQUEST_KINDS)[number]['type'];
export const cleanRequestKindOf = (value: string): CleanRequestKind => CLEAN_REQUEST_KINDS.find((k) => k.type === value)?.type ?? 'Spill';
