import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import type { PatientSearchResult } from '../../../contract/index.js';
import { ShortcutHint } from '../ui/shortcut-hint.js';
import { ageOn, todayIso } from './dates.js';
import { SHORT_LIST, schedulingQueries } from './queries.js';

/** Typing pauses this long before a search is sent: fast typing sends only the last text. */
const TYPING_PAUSE_MS = 120;

/** The text once typing has paused on it; '' while it has not (the list then offers nothing stale). */
function useSettledText(text: string): string {
  const [settled, setSettled] = useState('');
  useEffect(() => {
    if (text.length < 2) return;
    const timer = setTimeout(() => setSettled(text), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  return settled === text ? text : '';
}

/**
 * The two-step answer for what is typed: first the names that start so, then, if that list is
 * short, the wider search's list in its place. Answers are keyed by the text they are for, so an
 * answer that comes late only fills its own cache entry: it cannot refill a list that was closed
 * or that now shows another text.
 */
function usePatientMatches(text: string) {
  const settled = useSettledText(text);
  const searching = settled.length >= 2;
  const first = useQuery({ ...schedulingQueries.patientSearch(settled, false), enabled: searching });
  const needWider = searching && first.isSuccess && first.data.length < SHORT_LIST;
  const wider = useQuery({ ...schedulingQueries.patientSearch(settled, true), enabled: needWider });
  const results = !searching ? [] : ((needWider && wider.isSuccess ? wider.data : undefined) ?? (first.isSuccess ? first.data : []));
  const pending = !searching || first.isFetching || (needWider && wider.isFetching);
  return { results, pending, settled };
}

/**
 * Search as you type; ArrowUp/ArrowDown move through the results, Enter picks one.
 * The input keeps focus (aria-activedescendant), so typing never stops.
 */
export function PatientSearch({
  onPick,
  inputRef,
}: {
  onPick(patient: PatientSearchResult): void;
  inputRef: React.RefObject<HTMLInputElement | null>;
}) {
  const [query, setQuery] = useState('');
  const text = query.trim();
  const { results, pending, settled } = usePatientMatches(text);
  // The highlight belongs to one answer: a new text starts again at the top.
  const [highlight, setHighlight] = useState({ forText: '', index: 0 });
  const active = highlight.forText === settled ? Math.min(highlight.index, Math.max(results.length - 1, 0)) : 0;
  const move = (index: number) => setHighlight({ forText: settled, index });
  const listId = useId();

  const pick = (patient: PatientSearchResult | undefined) => {
    if (!patient) return;
    onPick(patient);
    setQuery('');
  };
  const today = todayIso();

  return (
    <div className="patient-search">
      <label htmlFor="patient-search-input">
        Find patient <ShortcutHint keys="Alt+P" />
      </label>
      <input
        id="patient-search-input"
        ref={inputRef}
        autoFocus
        role="combobox"
        aria-expanded={results.length > 0}
        aria-controls={listId}
        aria-activedescendant={text.length >= 2 && results[active] ? `${listId}-${results[active].patientId}` : undefined}
        aria-describedby="patient-search-hint"
        value={query}
        placeholder="Last, first · first last · birth date · phone · #number"
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') move(Math.min(active + 1, results.length - 1));
          else if (e.key === 'ArrowUp') move(Math.max(active - 1, 0));
          else if (e.key === 'Enter') pick(results[active]);
          else if (e.key === 'Escape') setQuery('');
          else return;
          e.preventDefault();
        }}
      />
      <p id="patient-search-hint" className="visually-hidden">
        Use the up and down arrows to move through the results and Enter to choose.
      </p>
      {text.length >= 2 && (
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
          {!pending && results.length === 0 && (
            <li className="muted" role="option" aria-selected="false" aria-disabled="true">
              No patient found. Check the spelling or register a new patient.
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
