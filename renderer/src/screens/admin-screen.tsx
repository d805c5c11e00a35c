import { DatabaseSettingsForm } from '../components/database-settings-form.js';

export function AdminScreen() {
  return (
    <section className="panel" aria-labelledby="admin-title">
      <h1 id="admin-title">Admin</h1>
      <p className="empty">Users, roles and terminal settings arrive with the security work.</p>
      <DatabaseSettingsForm />
    </section>
  );
}
