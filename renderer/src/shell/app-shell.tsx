import { useEffect, useState, type ReactElement } from 'react';
import type { SessionUser } from '../../../contract/schemas.js';
import { AdminScreen } from '../screens/admin-screen.js';
import { AttentionScreen } from '../screens/attention-screen.js';
import { PharmacyScreen } from '../screens/pharmacy-screen.js';
import { SchedulingScreen } from '../screens/scheduling-screen.js';
import { WardScreen } from '../screens/ward-screen.js';
import { screensFor, useSession, type ScreenId } from '../stores/session-store.js';
import { ChangePassword } from './change-password.js';
import { StatusBar } from './status-bar.js';

const SCREENS: Record<ScreenId, { label: string; render: () => ReactElement }> = {
  ward: { label: 'Ward', render: () => <WardScreen /> },
  pharmacy: { label: 'Pharmacy', render: () => <PharmacyScreen /> },
  scheduling: { label: 'Scheduling', render: () => <SchedulingScreen /> },
  admin: { label: 'Admin', render: () => <AdminScreen /> },
  attention: { label: 'Needs attention', render: () => <AttentionScreen /> },
};

export function AppShell({ user }: { user: SessionUser }) {
  const { screen, show, signOut, status } = useSession();
  const inbox = user.permissions.includes('appointments.read') && ((status?.needsAttention ?? 0) > 0 || screen === 'attention');
  // The inbox shows only while something is in it (or it is open), last so Alt+1… keep their screens.
  const allowed = [...screensFor(user), ...(inbox ? (['attention'] as const) : [])];
  const current = allowed.includes(screen) ? screen : allowed[0];
  const [changingPassword, setChangingPassword] = useState(false);

  // Alt+1…4 jump between screens without the mouse.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const target = allowed[Number(event.key) - 1];
      if (target) {
        event.preventDefault();
        show(target);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [allowed, show]);

  return (
    <div className="shell">
      <header className="top-bar">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true">+</span> Clinic Workstation
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
                  <kbd aria-hidden="true">Alt+{index + 1}</kbd>
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
      <StatusBar user={user} status={status} onOpenInbox={inbox ? () => show('attention') : undefined} />
    </div>
  );
}
