import { useEffect, useEffectEvent } from 'react';

/**
 * Alt+key shortcuts for the whole window while the component is shown. Keys are letters or digits
 * (any case) or key names (PageUp); the latest actions are used without re-subscribing on every render.
 */
export function useAltShortcuts(actions: Record<string, () => void>): void {
  const onKey = useEffectEvent((event: KeyboardEvent) => {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const action = actions[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}
