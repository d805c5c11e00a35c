import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect } from 'react';
import { call, whenUnauthorized } from '../client/clinic-client.js';
import { LockScreen, SignInScreen, useSession } from '../session/index.js';
import { AppShell } from './app-shell.js';
import { followSessionAndDatabase, queryClient } from './query-client.js';

const ACTIVITY_REPORT_MS = 20_000;

/** The window: sign-in, the lock, or the shell of the signed-in user; one query cache for all. */
export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Window />
    </QueryClientProvider>
  );
}

function Window() {
  const { session, loaded, load, setStatus, markLocked, refresh, generation } = useSession();

  useEffect(() => {
    void load();
    whenUnauthorized(() => void refresh());
    const offCache = followSessionAndDatabase();
    const offStatus = window.clinic.on('system/status-changed', setStatus);
    const offLocked = window.clinic.on('session/locked', () => void refresh());
    return () => {
      offCache();
      offStatus();
      offLocked();
    };
  }, [load, setStatus, refresh]);

  // Keyboard and pointer use keeps the session alive; main decides when it locks.
  const active = session !== null && !session.locked;
  useEffect(() => {
    if (!active) return;
    let last = 0;
    const report = () => {
      if (Date.now() - last < ACTIVITY_REPORT_MS) return;
      last = Date.now();
      void call('session/report-activity', {}).then((r) => r.ok && r.value.locked && markLocked());
    };
    window.addEventListener('keydown', report, true);
    window.addEventListener('pointerdown', report, true);
    return () => {
      window.removeEventListener('keydown', report, true);
      window.removeEventListener('pointerdown', report, true);
    };
  }, [active, markLocked]);

  if (!loaded)
    return (
      <div className="splash" role="status">
        Starting Clinic Workstation…
      </div>
    );
  if (!session) return <SignInScreen />;
  // Locked: the shell is unmounted, so nothing of the screen stays in the page behind the lock.
  if (session.locked) return <LockScreen user={session.user} />;
  return <AppShell key={generation} user={session.user} />;
}
