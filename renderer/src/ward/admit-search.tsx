import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import type { AdmissionCandidate } from '../../../contract/index.js';
import { wardQueries } from './queries.js';

const TYPING_PAUSE_MS = 150;

/**
 * Finding the patient to admit among all registered patients, matched as on the front desk (names either
 * order, birth date, #number): type, ↑ ↓ through the results, Enter chooses. Focus stays in the field.
 */
export function AdmitSearch({ onPick }: { onPick(patient: AdmissionCandidate): void }) {
  const [text, setText] = useState('');
  const [settled, setSettled] = useState('');
  const [active, setActive] = useState(0);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text.trim()), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const searching = settled.length >= 2 && settled === text.trim();
  const found = useQuery({ ...wardQueries.admissionSearch(settled), enabled: settled.length >= 2 });
  const results = searching ? (found.data ?? []) : [];
  const listId = useId();
  const at = Math.min(active, Math.max(results.length - 1, 0));
  return (
    <div className="patient-search">
      <label htmlFor="admit-search">Patient to admit</label>
      <input
        id="admit-search"
        autoFocus
        role="combobox"
        aria-expanded={results.length > 0}
        aria-controls={listId}
        aria-activedescendant={results[at] ? `${listId}-${results[at].patientId}` : undefined}
        value={text}
        placeholder="Last, first · birth date · #number"
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive(Math.min(at + 1, results.length - 1));
          else if (e.key === 'ArrowUp') setActive(Math.max(at - 1, 0));
          else if (e.key === 'Enter' && results[at]) onPick(results[at]);
          else return;
          e.preventDefault();
        }}
      />
      {settled.length >= 2 && (
        <ul id={listId} role="listbox" aria-label="Matching patients" className="search-results">
          {results.map((p, index) => (
            <li
              key={p.patientId}
              id={`${listId}-${p.patientId}`}
              role="option"
              aria-selected={index === at}
              className={index === at ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                onPick(p);
              }}
            >
              <strong>
                {p.lastName}, {p.firstName}
              </strong>{' '}
              <span className="muted">
                #{p.patientId} · born {p.dateOfBirth} · {p.gender ?? '—'}
                {p.admitted && ' · already in a bed (transfer instead)'}
              </span>
            </li>
          ))}
          {searching && !found.isFetching && results.length === 0 && (
            <li className="muted" role="option" aria-selected="false" aria-disabled="true">
              No patient found. Patients are registered at the front desk.
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
