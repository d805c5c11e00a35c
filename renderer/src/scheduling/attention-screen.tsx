import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { ChannelInput } from '../../../contract/index.js';
import { useSession } from '../session/index.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { ShortcutHint } from '../ui/shortcut-hint.js';
import { longDate, todayIso } from './dates.js';
import { schedulingQueries, useResolveAttention } from './queries.js';
import { mutateThen } from '../client/channel-query.js';

type Resolve = ChannelInput<'offline/resolve-attention-item'>;
/** One of the fixes, without the item it is for (each kind keeps its own fields). */
type FixRequest = Resolve extends infer R ? (R extends unknown ? Omit<R, 'key'> : never) : never;

/**
 * The Needs-attention inbox: changes made here while offline that the server refused or that
 * clashed. ↑ ↓ choose an item; 1–3 take a free slot or an existing patient; R registers anyway;
 * D then Enter discards.
 */
export function AttentionScreen() {
  const online = useSession((s) => s.status?.database === 'connected');
  const items = useQuery(schedulingQueries.attentionItems()).data ?? [];
  const resolve = useResolveAttention();
  const [chosen, setActive] = useState(0);
  const [confirmingDiscard, setConfirmingDiscard] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const busy = resolve.isPending;
  const active = Math.min(chosen, Math.max(items.length - 1, 0));

  // The keys work from the list: focus it as soon as there is one.
  const hasItems = items.length > 0;
  useEffect(() => {
    if (hasItems) listRef.current?.focus();
  }, [hasItems]);

  const item = items[active];

  function fix(request: FixRequest, done: string) {
    if (!item || busy) return;
    mutateThen(resolve, { key: item.key, ...request } satisfies Resolve, {
      onSuccess: () => {
        setNotice(done);
        listRef.current?.focus();
      },
      onError: () => setNotice(null),
      onSettled: () => setConfirmingDiscard(false),
    });
  }

  const options = item?.fixes.includes('book-slot') ? item.nextFreeSlots.slice(0, 3) : [];
  const patients = item?.fixes.includes('use-patient') ? item.possibleDuplicates.slice(0, 9) : [];

  function onKey(e: React.KeyboardEvent) {
    const key = e.key.toLowerCase();
    if (e.key === 'ArrowDown') setActive(Math.min(active + 1, items.length - 1));
    else if (e.key === 'ArrowUp') setActive(Math.max(active - 1, 0));
    else if (!item || e.altKey || e.ctrlKey || e.metaKey) return;
    else if (confirmingDiscard && e.key === 'Enter') fix({ fix: 'discard' }, `Discarded: ${item.summary}.`);
    else if (confirmingDiscard && e.key === 'Escape') setConfirmingDiscard(false);
    else if (!online) return;
    else if (/^[1-9]$/.test(key) && options[Number(key) - 1]) {
      const slot = options[Number(key) - 1]!;
      fix({ fix: 'book-slot', slot }, `Booked instead on ${longDate(slot.date)} at ${slot.time}.`);
    } else if (/^[1-9]$/.test(key) && patients[Number(key) - 1]) {
      const p = patients[Number(key) - 1]!;
      fix(
        { fix: 'use-patient', patientId: p.patientId },
        `Using ${p.lastName}, ${p.firstName} (#${p.patientId}); what waited on the walk-in was sent.`,
      );
    } else if (key === 'r' && item.fixes.includes('register-anyway'))
      fix({ fix: 'register-anyway' }, 'Registered as a new patient; what waited on the walk-in was sent.');
    else if (key === 'd') setConfirmingDiscard(true);
    else return;
    e.preventDefault();
  }

  return (
    <section className="panel wide attention" aria-labelledby="attention-title" onKeyDown={onKey}>
      <header className="screen-header">
        <h1 id="attention-title">Needs attention</h1>
      </header>
      <p className="muted">
        Changes saved on this terminal while the hospital database could not be reached, which the server could not apply as they were.
        Nothing here is lost until you discard it.
      </p>
      <p className="muted attention-keys">
        Keys: <kbd>↑</kbd> <kbd>↓</kbd> choose an item · <kbd>1</kbd>–<kbd>3</kbd> take a free slot or the patient on file · <kbd>R</kbd>{' '}
        register as new · <kbd>D</kbd> then <kbd>Enter</kbd> discard
      </p>
      {!online && <p className="notice notice-code">Fixes need the hospital database. They can be made once it is back.</p>}
      <Notice>{notice}</Notice>
      <FormError error={resolve.error} issues="none" />
      {items.length === 0 ? (
        <p className="empty">Nothing needs attention.</p>
      ) : (
        <div className="attention-grid">
          <ul
            ref={listRef}
            className="attention-list"
            role="listbox"
            tabIndex={0}
            aria-label="Items"
            aria-activedescendant={item ? `attention-${item.key}` : undefined}
          >
            {items.map((it, index) => (
              <li
                key={it.key}
                id={`attention-${it.key}`}
                role="option"
                aria-selected={index === active}
                className={index === active ? 'active' : undefined}
                onClick={() => setActive(index)}
              >
                <strong>{it.summary}</strong>
                <br />
                <span className="muted">{it.reason}</span>
              </li>
            ))}
          </ul>
          {item && (
            <div className="attention-detail" aria-label="Chosen item">
              <h2>{item.summary}</h2>
              <p className="form-error">{item.reason}</p>
              <p className="muted">
                Made by {item.madeBy} on {longDate(todayIso(new Date(item.madeAt)))} at {new Date(item.madeAt).toTimeString().slice(0, 5)}
                {item.blockedBy ? ' · waits for the walk-in registration above' : ''}
              </p>
              {options.length > 0 && (
                <>
                  <p>Book instead:</p>
                  <ul className="alternatives">
                    {options.map((slot, i) => (
                      <li key={`${slot.date} ${slot.time}`}>
                        <button
                          type="button"
                          disabled={!online || busy}
                          onClick={() => fix({ fix: 'book-slot', slot }, `Booked instead on ${longDate(slot.date)} at ${slot.time}.`)}
                        >
                          <ShortcutHint keys={String(i + 1)} /> {longDate(slot.date)} at {slot.time}
                        </button>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {patients.length > 0 && (
                <>
                  <p>The same person may already be on file:</p>
                  <ul className="alternatives">
                    {patients.map((p, i) => (
                      <li key={p.patientId}>
                        <button
                          type="button"
                          disabled={!online || busy}
                          onClick={() =>
                            fix({ fix: 'use-patient', patientId: p.patientId }, `Using ${p.lastName}, ${p.firstName} (#${p.patientId}).`)
                          }
                        >
                          <ShortcutHint keys={String(i + 1)} /> {p.lastName}, {p.firstName} · #{p.patientId} · born {p.dateOfBirth} ·{' '}
                          {p.contactNumber ?? 'no phone'}
                        </button>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              <span className="row-actions">
                {item.fixes.includes('register-anyway') && (
                  <button
                    type="button"
                    disabled={!online || busy}
                    onClick={() => fix({ fix: 'register-anyway' }, 'Registered as a new patient.')}
                  >
                    <kbd>R</kbd> Register as new
                  </button>
                )}
                {confirmingDiscard ? (
                  <button type="button" className="danger" onClick={() => fix({ fix: 'discard' }, `Discarded: ${item.summary}.`)}>
                    Discard for good (Enter) · keep (Esc)
                  </button>
                ) : (
                  <button type="button" onClick={() => setConfirmingDiscard(true)}>
                    <kbd>D</kbd> Discard…
                  </button>
                )}
              </span>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
