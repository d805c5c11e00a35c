import './monitoring.css';
import { useAlerts } from './queries.js';

/**
 * The administrators' status light: shown only when something needs them (a failed backup, failing
 * archiving, a long query, a nearly full disk); the title lists what.
 */
export function HealthLight({ enabled, onOpen }: { enabled: boolean; onOpen?: () => void }) {
  const alerts = useAlerts(enabled);
  const list = alerts.data?.alerts ?? [];
  if (!enabled || list.length === 0) return null;
  const text = list.map((a) => a.message).join(' ');
  return (
    <button
      type="button"
      className="attention-link health-light"
      onClick={onOpen}
      disabled={!onOpen}
      title={text}
      data-testid="health-light"
    >
      <span className="dot" aria-hidden="true" /> Database needs attention: {list.length}
      <span className="visually-hidden">. {text}</span>
    </button>
  );
}
