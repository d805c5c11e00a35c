import { useEffect, useId, useRef, useState } from 'react';
import type { PatientSearchResult } from '../../../contract/schemas.js';
import { call } from '../clinic-client.js';
import { ageOn, todayIso } from './dates.js';

/** Fewer exact matches than this, and the wider search (inside names, one typo away) follows. */
const SHORT_LIST = 5;

/**
 * Search as you type; ArrowUp/ArrowDown move through the results, Enter picks one.
 * The input keeps focus (aria-activedescendant), so typing never stops.
 */
export function PatientSearch({ onPick, inputRef }: { onPick(patient: PatientSearchResult): void; inputRef: React.RefObject<HTMLInputElement | null> }) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<PatientSearchResult[]>([]);
  const [active, setActive] = useState(0);
  const [searching, setSearching] = useState(false);
  const listId = useId();
  const latest = useRef(0);

  useEffect(() => {
    const text = query.trim();
    if (text.length < 2) {
      latest.current += 1; // an answer still on its way is for a query that is gone
      setResults([]);
      setSearching(false);
      return;
    }
    const ticket = ++latest.current;
    setSearching(true);
    const timer = setTimeout(async () => {
      // First the names that start so (fast, shown at once); then, if that list is short, the ones
      // that contain it or are one typo away, appended below.
      const first = await call('patients/search-patients', { query: text, limit: 20, wider: false });
      if (ticket !== latest.current) return; // a newer keystroke won
      setResults(first.ok ? first.value : []);
      setActive(0);
      if (!first.ok || first.value.length >= SHORT_LIST) return setSearching(false);
      const all = await call('patients/search-patients', { query: text, limit: 20, wider: true });
      if (ticket !== latest.current) return;
      setSearching(false);
      if (all.ok) setResults(all.value);
    }, 120);
    return () => clearTimeout(timer);
  }, [query]);

  const pick = (patient: PatientSearchResult | undefined) => {
    if (!patient) return;
    latest.current += 1; // the wider pass may still answer: it must not refill a closed list
    onPick(patient);
    setQuery('');
    setResults([]);
  };
  const today = todayIso();

  return (
    <div className="patient-search">
      <label htmlFor="patient-search-input">
        Find patient <kbd>Alt+P</kbd>
      </label>
      <input
        id="patient-search-input"
        ref={inputRef}
        autoFocus
        role="combobox"
        aria-expanded={results.length > 0}
        aria-controls={listId}
        aria-activedescendant={query.trim().length >= 2 && results[active] ? `${listId}-${results[active].patientId}` : undefined}
        aria-describedby="patient-search-hint"
        value={query}
        placeholder="Last, first · first last · birth date · phone · #number"
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((i) => Math.min(i + 1, results.length - 1));
          else if (e.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
          else if (e.key === 'Enter') pick(results[active]);
          else if (e.key === 'Escape') setQuery('');
          else return;
          e.preventDefault();
        }}
      />
      <p id="patient-search-hint" className="visually-hidden">
        Use the up and down arrows to move through the results and Enter to choose.
      </p>
      {query.trim().length >= 2 && (
        <ul id={listId} role="listbox" aria-label="Matching patients" className="search-results">
          {results.map((p, index) => (
            <li
              key={p.patientId}
              id={`${listId}-${p.patientId}`}
              role="option"
              aria-selected={index === active}
              className={index === active ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(p);
              }}
            >
              <strong>
                {p.lastName}, {p.firstName}
              </strong>{' '}
              <span className="muted">
                #{p.patientId} · born {p.dateOfBirth} ({ageOn(p.dateOfBirth, today)}) · {p.gender ?? '—'} · {p.contactNumber ?? 'no phone'}
                {p.address ? ` · ${p.address}` : ''}
              </span>
              {p.match === 'similar' && <span className="tag">similar spelling</span>}
              {p.match === 'partial' && <span className="tag">contains</span>}
            </li>
          ))}
          {!searching && results.length === 0 && <li className="muted" role="option" aria-selected="false" aria-disabled="true">No patient found. Check the spelling or register a new patient.</li>}
        </ul>
      )}
    </div>
  );
}
