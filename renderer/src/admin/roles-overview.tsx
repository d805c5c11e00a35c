import { useEffect, useState } from 'react';
import type { RoleRow } from '../../../contract/schemas.js';
import { call } from '../clinic-client.js';

/** What each role may do, straight from the roles and permissions tables. */
export function RolesOverview() {
  const [roles, setRoles] = useState<RoleRow[]>([]);
  useEffect(() => {
    void call('roles/list-roles', {}).then((r) => r.ok && setRoles(r.value));
  }, []);
  return (
    <section aria-labelledby="roles-title" className="admin-section">
      <h2 id="roles-title">Roles and permissions</h2>
      <table className="data-table" aria-label="Roles and permissions">
        <thead>
          <tr>
            <th>Role</th>
            <th>Description</th>
            <th>Permissions</th>
          </tr>
        </thead>
        <tbody>
          {roles.map((role) => (
            <tr key={role.roleName}>
              <td>{role.roleName}</td>
              <td>{role.description}</td>
              <td className="permission-list">{role.permissions.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
