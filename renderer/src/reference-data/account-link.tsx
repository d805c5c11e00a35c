import type { UserRow } from '../../../contract/index.js';
import { OptionalSelect } from '../ui/optional-select.js';

/**
 * The sign-in accounts a row of a table may link: its own, or one no other row of that table has (one
 * account is one person; the database refuses a second link too).
 */
export function accountsOffered(accounts: UserRow[] | undefined, rows: { id: number; userId: string | null }[]) {
  const taken = new Map(rows.filter((r) => r.userId !== null).map((r) => [r.userId!, r.id]));
  return (id: number | null) => (accounts ?? []).filter((a) => !taken.has(a.userId) || taken.get(a.userId) === id);
}

/** The link to send: only a change made on screen, so a stale row never puts back a link removed elsewhere. */
export const linkChange = (chosen: string | null, saved: string | null | undefined) =>
  chosen !== (saved ?? null) ? { userId: chosen } : {};

/** A choice of sign-in account, or none. */
export function AccountSelect({
  label,
  accounts,
  value,
  onChange,
}: {
  label: string;
  accounts: UserRow[];
  value: string | null;
  onChange(userId: string | null): void;
}) {
  const options = accounts.map((a) => ({ value: a.userId, text: `${a.email} (${a.displayName})${a.isActive ? '' : ', inactive'}` }));
  return <OptionalSelect label={label} options={options} value={value} onChange={onChange} />;
}
