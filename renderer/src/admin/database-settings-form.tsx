import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { DatabaseSettingsView } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { adminQueries, useSaveDatabase } from './queries.js';

type Target = DatabaseSettingsView['activeMode'];

/** Where this workstation's database is. The password goes to the OS keychain, never to a file. */
export function DatabaseSettingsForm() {
  const current = useQuery(adminQueries.workstation());
  const view = current.data ?? null;
  const [target, setTarget] = useState<Target>('embedded');
  const [host, setHost] = useState('');
  const [port, setPort] = useState('5432');
  const [database, setDatabase] = useState('clinic');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [ssl, setSsl] = useState(true);
  const [caFile, setCaFile] = useState('');
  const [allowInsecure, setAllowInsecure] = useState(false);
  // The saved server fills the fields once, from the first answer; later answers (after a save) leave what is typed.
  const [filled, setFilled] = useState(false);
  if (view && !filled) {
    setFilled(true);
    const server = view.hospitalServer;
    if (server) {
      setTarget('server');
      setHost(server.host);
      setPort(String(server.port));
      setDatabase(server.database);
      setUser(server.user);
      setSsl(server.ssl);
      setCaFile(server.caFile ?? '');
      setAllowInsecure(server.allowInsecure);
    }
  }
  const save = useSaveDatabase();
  const error = save.error ?? current.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(
      target === 'embedded'
        ? { target: 'embedded' }
        : {
            target: 'server',
            // The allowance is sent only with TLS off, so turning TLS back on withdraws it.
            server: {
              host,
              port: Number(port),
              database,
              user,
              ssl,
              caFile: ssl && caFile.trim() ? caFile.trim() : null,
              allowInsecure: !ssl && allowInsecure,
            },
            ...(password ? { password } : {}),
          },
    );
    setPassword(''); // Never kept on screen once sent.
  }

  const issue = (path: string) => error?.issues?.find((i) => i.path === path || i.path === `server.${path}`)?.message;

  return (
    <form className="settings-form" onSubmit={submit} aria-labelledby="db-settings-title">
      <h2 id="db-settings-title">Database connection</h2>
      {view && (
        <p className="hint">
          Now using: <strong>{view.activeMode === 'embedded' ? 'the local database on this computer' : 'a hospital server'}</strong>
          {view.overriddenByEnvironment && ' (set by DATABASE_URL, which overrides these settings)'}.
        </p>
      )}
      {view?.connectionWarning && (
        <p className="waiting" data-testid="connection-warning">
          Not encrypted: {view.connectionWarning}
        </p>
      )}
      <fieldset>
        <legend>Use</legend>
        <label className="choice">
          <input type="radio" name="target" checked={target === 'embedded'} onChange={() => setTarget('embedded')} /> The local database on
          this computer
        </label>
        <label className="choice">
          <input type="radio" name="target" checked={target === 'server'} onChange={() => setTarget('server')} /> A hospital server
        </label>
      </fieldset>
      {target === 'server' && (
        <div className="field-grid">
          <label htmlFor="db-host">Server</label>
          <input id="db-host" value={host} onChange={(e) => setHost(e.target.value)} aria-invalid={issue('host') ? true : undefined} />
          <label htmlFor="db-port">Port</label>
          <input
            id="db-port"
            inputMode="numeric"
            value={port}
            onChange={(e) => setPort(e.target.value)}
            aria-invalid={issue('port') ? true : undefined}
          />
          <label htmlFor="db-name">Database</label>
          <input id="db-name" value={database} onChange={(e) => setDatabase(e.target.value)} />
          <label htmlFor="db-user">User</label>
          <input id="db-user" value={user} onChange={(e) => setUser(e.target.value)} autoComplete="off" />
          <label htmlFor="db-password">Password</label>
          <input
            id="db-password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="off"
            placeholder={view?.passwordStored ? 'Stored in the keychain — leave empty to keep it' : ''}
          />
          <label className="choice span-2">
            <input
              type="checkbox"
              checked={ssl}
              onChange={(e) => setSsl(e.target.checked)}
              aria-invalid={issue('ssl') ? true : undefined}
            />{' '}
            Encrypted connection (TLS, certificate checked)
          </label>
          {ssl ? (
            <>
              <label htmlFor="db-ca-file">CA certificate file</label>
              <input
                id="db-ca-file"
                value={caFile}
                onChange={(e) => setCaFile(e.target.value)}
                placeholder="Only if the hospital has its own certificate authority"
                aria-invalid={issue('caFile') ? true : undefined}
              />
            </>
          ) : (
            <>
              <label className="choice span-2">
                <input type="checkbox" checked={allowInsecure} onChange={(e) => setAllowInsecure(e.target.checked)} /> Allow an unencrypted
                connection to a server on another computer
              </label>
              {allowInsecure && (
                <p className="waiting span-2" data-testid="insecure-choice-warning">
                  Patient data and the database password will cross the network readable by anyone on the way. Every screen will show a
                  warning.
                </p>
              )}
            </>
          )}
        </div>
      )}
      <FormError error={error} issues="after" fieldName={(path) => path.replace('server.', '')} />
      {save.isSuccess && <Notice>Saved. The workstation will use it the next time it starts.</Notice>}
      <button type="submit" className="primary" disabled={save.isPending}>
        {save.isPending ? 'Testing connection…' : target === 'server' ? 'Test and save' : 'Save'}
      </button>
    </form>
  );
}
