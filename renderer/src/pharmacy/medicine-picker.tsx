import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import type { MedicineSummary } from '../../../contract/pharmacy.js';
import { pharmacyQueries } from './queries.js';

const TYPING_PAUSE_MS = 150;

/** The text once typing has paused on it. */
function useSettled(text: string): string {
  const [settled, setSettled] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  return settled;
}

export const medicineLabel = (m: Pick<MedicineSummary, 'name' | 'strength' | 'form'>) => `${m.name} ${m.strength} ${m.form}`;

/**
 * A medicine chosen by typing brand or generic name, strength or form ("amox 500", "morphine tab"):
 * ↑ ↓ move through the matches, Enter picks. The input keeps focus (aria-activedescendant).
 */
export function MedicinePicker({
  label,
  id,
  onPick,
  chosen,
  onlyControlled = false,
  autoFocus = false,
}: {
  label: string;
  id: string;
  onPick(medicine: MedicineSummary | null): void;
  chosen: MedicineSummary | null;
  onlyControlled?: boolean;
  autoFocus?: boolean;
}) {
  const [text, setText] = useState('');
  const settled = useSettled(text.trim());
  const search = useQuery({ ...pharmacyQueries.medicines(settled), enabled: settled.length >= 2 });
  const results = (settled.length >= 2 && search.data ? search.data : []).filter((m) => !onlyControlled || m.isControlled);
  const [active, setActive] = useState(0);
  const current = Math.min(active, Math.max(results.length - 1, 0));
  const listId = useId();
  const open = text.trim().length >= 2 && settled === text.trim();
  const pick = (m: MedicineSummary | undefined) => {
    if (!m) return;
    onPick(m);
    setText('');
  };
  return (
    <div className="medicine-picker">
      <label htmlFor={id}>{label}</label>
      {chosen && (
        <p className="chosen-medicine" aria-live="polite">
          <strong>{medicineLabel(chosen)}</strong>
          {chosen.genericName && chosen.genericName !== chosen.name.toLowerCase() ? ` (${chosen.genericName})` : ''} · {chosen.usableStock}{' '}
          usable in stock
          {chosen.isControlled && <span className="tag tag-controlled">controlled</span>}{' '}
          <button type="button" className="link-button" onClick={() => onPick(null)}>
            change
          </button>
        </p>
      )}
      <input
        id={id}
        role="combobox"
        autoFocus={autoFocus}
        aria-expanded={open && results.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && results[current] ? `${listId}-${results[current].medicineId}` : undefined}
        value={text}
        placeholder={chosen ? 'type to choose another' : 'brand or generic name, strength, form'}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive(Math.min(current + 1, results.length - 1));
          else if (e.key === 'ArrowUp') setActive(Math.max(current - 1, 0));
          else if (e.key === 'Enter' && open && results[current]) pick(results[current]);
          else if (e.key === 'Escape') setText('');
          else return;
          e.preventDefault();
        }}
      />
      {open && (
        <ul id={listId} role="listbox" aria-label="Matching medicines" className="search-results">
          {results.map((m, index) => (
            <li
              key={m.medicineId}
              id={`${listId}-${m.medicineId}`}
              role="option"
              aria-selected={index === current}
              className={index === current ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(m);
              }}
            >
              <strong>{medicineLabel(m)}</strong>{' '}
              <span className="muted">
                {m.genericName ?? ''} · {m.usableStock} in stock
              </span>
              {m.isControlled && <span className="tag tag-controlled">controlled</span>}
            </li>
          ))}
          {!search.isFetching && results.length === 0 && (
            <li className="muted" role="option" aria-selected="false" aria-disabled="true">
              No medicine matches.
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
