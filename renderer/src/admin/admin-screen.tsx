import { DatabaseSettingsForm } from './database-settings-form.js';
import { RolesOverview } from './roles-overview.js';
import { SecuritySettingsForm } from './security-settings-form.js';
import { TerminalForm } from './terminal-form.js';
import { UserManagement } from './user-management.js';

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
