import { useState, type ReactElement } from 'react';
import type { SessionUser } from '../../../contract/index.js';
import { AdminScreen } from '../admin/index.js';
import { AmbulanceScreen } from '../ambulance/index.js';
import { BillingScreen } from '../billing/index.js';
import { HousekeepingScreen } from '../housekeeping/index.js';
import { PharmacyScreen } from '../pharmacy/index.js';
import { AttentionScreen, SchedulingScreen } from '../scheduling/index.js';
import { ChangePassword, useSession } from '../session/index.js';
import { useAltShortcuts } from '../ui/alt-shortcuts.js';
import { ShortcutHint } from '../ui/shortcut-hint.js';
import { WardScreen } from '../ward/index.js';
import { screensFor, useNavigation, type ScreenId } from './navigation.js';
import { StatusBar } from './status-bar.js';

const SCREENS: Record<ScreenId, { label: string; render: () => ReactElement }> = {
  ward: { label: 'Ward', render: () => <WardScreen /> },
  pharmacy: { label: 'Pharmacy', render: () => <PharmacyScreen /> },
  scheduling: { label: 'Scheduling', render: () => <SchedulingScreen /> },
  billing: { label: 'Billing', render: () => <BillingScreen /> },
  ambulance: { label: 'Ambulance', render: () => <AmbulanceScreen /> },
  housekeeping: { label: 'Housekeeping', render: () => <HousekeepingScreen /> },
  admin: { label: 'Admin', render: () => <AdminScreen /> },
  attention: { label: 'Needs attention', render: () => <AttentionScreen /> },
};

export function AppShell({ user }: { user: SessionUser }) {
  const { signOut, status } = useSession();
  const { screen, show } = useNavigation();
  const inbox = user.permissions.includes('appointments.read') && ((status?.needsAttention ?? 0) > 0 || screen === 'attention');
  // The inbox shows only while something is in it (or it is open), last so Alt+1… keep their screens.
  const allowed = [...screensFor(user), ...(inbox ? (['attention'] as const) : [])];
  const current = screen && allowed.includes(screen) ? screen : allowed[0];
  const [changingPassword, setChangingPassword] = useState(false);

  // Alt+1…5 jump between screens without the mouse.
  useAltShortcuts(Object.fromEntries(allowed.map((id, index) => [String(index + 1), () => show(id)])));

  return (
    <div className="shell">
      <header className="top-bar">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true">
            +
          </span>{' '}
          Clinic Workstation
        </span>
        <nav aria-label="Screens">
          <ul>
            {allowed.map((id, index) => (
              <li key={id}>
                <button
                  type="button"
                  className="nav-item"
                  aria-current={id === current ? 'page' : undefined}
                  onClick={() => {
                    setChangingPassword(false);
                    show(id);
                  }}
                  title={`Alt+${index + 1}`}
                >
                  {SCREENS[id].label}
                  <ShortcutHint keys={`Alt+${index + 1}`} hidden />
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <span className="account-actions">
          <button type="button" className="sign-out" onClick={() => setChangingPassword(true)}>
            Change password
          </button>
          <button type="button" className="sign-out" onClick={() => void signOut()}>
            Sign out
          </button>
        </span>
      </header>
      <main className="screen" aria-label={current ? SCREENS[current].label : 'No screens'}>
        {changingPassword ? (
          <ChangePassword onClose={() => setChangingPassword(false)} />
        ) : current ? (
          SCREENS[current].render()
        ) : (
          <p className="empty">Your role has no screens on this workstation yet.</p>
        )}
      </main>
      <StatusBar
        user={user}
        status={status}
        onOpenInbox={inbox ? () => show('attention') : undefined}
        onOpenAdmin={allowed.includes('admin') ? () => show('admin') : undefined}
      />
    </div>
  );
}
