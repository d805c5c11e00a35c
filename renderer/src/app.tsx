import { useEffect } from 'react';
import { AppShell } from './shell/app-shell.js';
import { SignInScreen } from './screens/sign-in-screen.js';
import { useSession } from './stores/session-store.js';

export function App() {
  const { user, loaded, load, setStatus } = useSession();

  useEffect(() => {
    void load();
    return window.clinic.on('system/status-changed', setStatus);
  }, [load, setStatus]);

  if (!loaded) return <div className="splash" role="status">Starting Clinic Workstation…</div>;
  return user ? <AppShell user={user} /> : <SignInScreen />;
}
