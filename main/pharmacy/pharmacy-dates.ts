// Days the pharmacist picks (from/to, inclusive, in the workstation's time zone) as instants for SQL.

/** Local midnight of an ISO date. */
const localMidnight = (isoDate: string) => {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
};

/** From the start of `from` to the end of `to` (the next local midnight, exclusive); null where open. */
export function dayRange(from: string | undefined, to: string | undefined): { since: Date | null; until: Date | null } {
  const until = to ? localMidnight(to) : null;
  until?.setDate(until.getDate() + 1);
  return { since: from ? localMidnight(from) : null, until };
}
