import { RolesOverview } from '../admin/roles-overview.js';
import { SecuritySettingsForm } from '../admin/security-settings-form.js';
import { TerminalForm } from '../admin/terminal-form.js';
import { UserManagement } from '../admin/user-management.js';
import { DatabaseSettingsForm } from '../components/database-settings-form.js';

export function AdminScreen() {
  return (
    <section className="panel wide" aria-labelledby="admin-title">
      <h1 id="admin-title">Admin</h1>
      <UserManagement />
      <RolesOverview />
      <SecuritySettingsForm />
      <TerminalForm />
      <DatabaseSettingsForm />
    </section>
  );
}
