import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ControlledCount } from '../../../contract/index.js';
import { mutateThen } from '../client/channel-query.js';
import { FormError } from '../ui/form-error.js';
import { pharmacyQueries, useResolveDiscrepancy } from './queries.js';
import './pharmacy.css';

const when = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/**
 * The administrator's list of controlled-drug counts that differed from the register's balance (the
 * pharmacist is told "flagged to the administrator"): open ones first, each closed with what was found.
 */
export function CountDiscrepancies() {
  const [includeResolved, setIncludeResolved] = useState(false);
  const counts = useQuery(pharmacyQueries.discrepancies(includeResolved));
  const open = counts.data?.filter((c) => c.resolvedAt === null).length ?? 0;
  return (
    <section className="pharmacy count-discrepancies" aria-labelledby="discrepancies-title">
      <h2 id="discrepancies-title">Controlled drug counts that differ from the register</h2>
      <p className="muted">
        {counts.data ? `${open} open.` : 'Reading…'} A negative difference means units are missing: find where they went before closing it.
      </p>
      <label>
        <input type="checkbox" checked={includeResolved} onChange={(e) => setIncludeResolved(e.target.checked)} /> Show closed ones too
      </label>
      <FormError error={counts.error} />
      {counts.data && counts.data.length === 0 && <p className="muted">No count differs from the register.</p>}
      {counts.data && counts.data.length > 0 && (
        <table className="data-table" aria-label="Count differences">
          <thead>
            <tr>
              <th scope="col">Medicine</th>
              <th scope="col">Counted</th>
              <th scope="col" className="numeric">
                Register
              </th>
              <th scope="col" className="numeric">
                Count
              </th>
              <th scope="col" className="numeric">
                Difference
              </th>
              <th scope="col">Note</th>
              <th scope="col">Closed</th>
            </tr>
          </thead>
          <tbody>
            {counts.data.map((c) => (
              <DiscrepancyRow key={c.countId} count={c} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function DiscrepancyRow({ count: c }: { count: ControlledCount }) {
  const resolve = useResolveDiscrepancy();
  const [resolution, setResolution] = useState('');
  return (
    <tr>
      <td>
        {c.medicineName} {c.strength} {c.form}
      </td>
      <td>
        {when(c.countedAt)} by {c.countedBy ?? 'unknown'}
        {c.witnessedBy ? `, witness ${c.witnessedBy}` : ''}
      </td>
      <td className="numeric">{c.bookBalance}</td>
      <td className="numeric">{c.counted}</td>
      <td className={`numeric ${c.difference < 0 ? 'warn' : ''}`}>{c.difference > 0 ? `+${c.difference}` : c.difference}</td>
      <td>{c.note ?? ''}</td>
      <td>
        {c.resolvedAt ? (
          `${when(c.resolvedAt)} by ${c.resolvedBy ?? 'unknown'}: ${c.resolution ?? ''}`
        ) : (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              mutateThen(resolve, { countId: c.countId, resolution }, { onSuccess: () => setResolution('') });
            }}
          >
            <label htmlFor={`resolution-${c.countId}`}>What was found</label>
            <input id={`resolution-${c.countId}`} value={resolution} onChange={(e) => setResolution(e.target.value)} maxLength={500} />
            <button type="submit">Close it</button>
            <FormError error={resolve.error} />
          </form>
        )}
      </td>
    </tr>
  );
}
