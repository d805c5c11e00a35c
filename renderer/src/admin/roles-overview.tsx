import { useQuery } from '@tanstack/react-query';
import { adminQueries } from './queries.js';

/** What each role may do, straight from the roles and permissions tables. */
export function RolesOverview() {
  const roles = useQuery(adminQueries.roles()).data ?? [];
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
