import type { SessionUser, SystemStatus } from '../../../contract/index.js';
import { HealthLight } from '../monitoring/index.js';
import { DatabaseBadge } from '../ui/database-badge.js';
import { roleLabel } from '../ui/role-labels.js';

export function StatusBar({
  user,
  status,
  onOpenInbox,
  onOpenAdmin,
}: {
  user: SessionUser;
  status: SystemStatus | null;
  onOpenInbox?: () => void;
  onOpenAdmin?: () => void;
}) {
  return (
    <footer className="status-bar" aria-label="Status">
      <span data-testid="signed-in-user">
        Signed in as <strong>{user.displayName}</strong> · {user.roles.map(roleLabel).join(', ')}
        {user.offline &&
          (status?.database === 'connected' ? (
            <span className="waiting" data-testid="offline-session">
              {' '}
              · signed in offline: sign out and in again for all your screens
            </span>
          ) : (
            <span className="muted"> · signed in offline</span>
          ))}
      </span>
      <span className="status-bar-right">
        {status && <span className="db-mode">{status.mode === 'embedded' ? 'Local database' : 'Hospital server'}</span>}
        {status && status.waitingChanges > 0 && (
          <span className="waiting" data-testid="waiting-changes">
            {status.waitingChanges} {status.waitingChanges === 1 ? 'change' : 'changes'} waiting to be sent
          </span>
        )}
        {status && status.needsAttention > 0 && (
          <button type="button" className="attention-link" onClick={onOpenInbox} disabled={!onOpenInbox} data-testid="needs-attention">
            Needs attention: {status.needsAttention}
          </button>
        )}
        {status?.connectionWarning && (
          <span className="waiting" role="note" title={status.connectionWarning} data-testid="connection-warning">
            Database connection not encrypted
            <span className="visually-hidden">: {status.connectionWarning}</span>
          </span>
        )}
        {/* Administrators only: a failed backup, failing archiving, a long query, a nearly full disk. */}
        <HealthLight enabled={user.permissions.includes('settings.manage') && status?.database === 'connected'} onOpen={onOpenAdmin} />
        {status && <DatabaseBadge status={status} />}
      </span>
    </footer>
  );
}
