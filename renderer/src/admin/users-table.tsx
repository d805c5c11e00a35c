import { createColumnHelper, useTable } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { UserRow } from '../../../contract/index.js';
import { roleLabel } from '../ui/role-labels.js';
import { SortableTable, sortableFeatures } from '../ui/sortable-table.js';

const column = createColumnHelper<typeof sortableFeatures, UserRow>();

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '—');

export interface UserActions {
  onToggleActive(user: UserRow): void;
  onResetCode(user: UserRow): void;
  onUnlock(user: UserRow): void;
  onEditRoles(user: UserRow): void;
}

/** Users, sortable by any column (the list is small enough to sort on screen). */
export function UsersTable({ users, actions, now }: { users: UserRow[]; actions: UserActions; now: number }) {
  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('displayName', { header: 'Name', sortFn: 'text' }),
        column.accessor('email', { header: 'Email', sortFn: 'text' }),
        column.accessor((u) => u.roles.map(roleLabel).join(', '), { id: 'roles', header: 'Roles', sortFn: 'text' }),
        column.accessor((u) => (!u.isActive ? 'Deactivated' : u.lockedUntil && Date.parse(u.lockedUntil) > now ? 'Locked' : 'Active'), {
          id: 'status',
          header: 'Status',
          sortFn: 'text',
        }),
        column.accessor((u) => u.lastLogin ?? '', {
          id: 'lastLogin',
          header: 'Last sign-in',
          cell: (info) => when(info.getValue() || null),
          sortFn: 'text',
        }),
        column.display({
          id: 'actions',
          header: 'Actions',
          cell: ({ row }) => {
            const user = row.original;
            const locked = user.lockedUntil !== null && Date.parse(user.lockedUntil) > now;
            return (
              <span className="row-actions">
                <button type="button" onClick={() => actions.onEditRoles(user)} aria-label={`Change roles of ${user.displayName}`}>
                  Roles
                </button>
                <button type="button" onClick={() => actions.onResetCode(user)} aria-label={`Issue a reset code for ${user.displayName}`}>
                  Reset code
                </button>
                {locked && (
                  <button type="button" onClick={() => actions.onUnlock(user)} aria-label={`Unlock ${user.displayName}`}>
                    Unlock
                  </button>
                )}
                <button
                  type="button"
                  onClick={() => actions.onToggleActive(user)}
                  aria-label={`${user.isActive ? 'Deactivate' : 'Reactivate'} ${user.displayName}`}
                >
                  {user.isActive ? 'Deactivate' : 'Reactivate'}
                </button>
              </span>
            );
          },
        }),
      ]),
    [actions, now],
  );
  const table = useTable({
    features: sortableFeatures,
    columns,
    data: users,
    initialState: { sorting: [{ id: 'displayName', desc: false }] },
  });

  return <SortableTable table={table} label="Users" />;
}
