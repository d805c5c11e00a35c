import { useState, type KeyboardEvent, type ReactElement } from 'react';
import { AuditScreen } from '../audit/index.js';
import { BackupsScreen } from '../backups/index.js';
import { DatabaseHealthScreen } from '../monitoring/index.js';
import { CountDiscrepancies } from '../pharmacy/index.js';
import { ReferenceDataScreen } from '../reference-data/index.js';
import { DatabaseSettingsForm } from './database-settings-form.js';
import { RolesOverview } from './roles-overview.js';
import { SecuritySettingsForm } from './security-settings-form.js';
import { TerminalForm } from './terminal-form.js';
import { UserManagement } from './user-management.js';

interface AdminTab {
  id: string;
  label: string;
  render: () => ReactElement;
}

function UsersAndSettings() {
  return (
    <>
      <UserManagement />
      <RolesOverview />
      <SecuritySettingsForm />
      <TerminalForm />
      <DatabaseSettingsForm />
    </>
  );
}

// Each operations feature adds its tab here (one line), rendered through its public index.ts.
const FIRST_TAB: AdminTab = { id: 'users', label: 'Users and settings', render: () => <UsersAndSettings /> };
const ADMIN_TABS: AdminTab[] = [
  FIRST_TAB,
  { id: 'database', label: 'Database', render: () => <DatabaseHealthScreen /> },
  { id: 'audit', label: 'Audit', render: () => <AuditScreen /> },
  { id: 'reference-data', label: 'Reference data', render: () => <ReferenceDataScreen /> },
  { id: 'backups', label: 'Backups', render: () => <BackupsScreen /> },
  { id: 'controlled-counts', label: 'Controlled drug counts', render: () => <CountDiscrepancies /> },
];

export function AdminScreen() {
  const [current, setCurrent] = useState(FIRST_TAB.id);
  const tab = ADMIN_TABS.find((candidate) => candidate.id === current) ?? FIRST_TAB;

  // Arrow keys move between tabs, as in any tab list (WAI-ARIA tabs pattern).
  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    const index = ADMIN_TABS.findIndex((candidate) => candidate.id === tab.id);
    const next = ADMIN_TABS[(index + step + ADMIN_TABS.length) % ADMIN_TABS.length] ?? FIRST_TAB;
    setCurrent(next.id);
    document.getElementById(`admin-tab-${next.id}`)?.focus();
  };

  return (
    <section className="panel wide" aria-labelledby="admin-title">
      <h1 id="admin-title">Admin</h1>
      {ADMIN_TABS.length > 1 && (
        <div role="tablist" aria-label="Admin sections" className="tab-list" onKeyDown={onKeyDown}>
          {ADMIN_TABS.map((candidate) => (
            <button
              key={candidate.id}
              id={`admin-tab-${candidate.id}`}
              type="button"
              role="tab"
              aria-selected={candidate.id === tab.id}
              aria-controls="admin-panel"
              tabIndex={candidate.id === tab.id ? 0 : -1}
              onClick={() => setCurrent(candidate.id)}
            >
              {candidate.label}
            </button>
          ))}
        </div>
      )}
      <div id="admin-panel" role={ADMIN_TABS.length > 1 ? 'tabpanel' : undefined} aria-labelledby={`admin-tab-${tab.id}`}>
        {tab.render()}
      </div>
    </section>
  );
}
