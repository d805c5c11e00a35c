import { useQuery } from '@tanstack/react-query';
import { FormError } from '../ui/form-error.js';
import { wardQueries } from './queries.js';

/** The whole hospital's beds: counts per department and state, with a total row. */
export function CensusView({ onOpen }: { onOpen(departmentId: number): void }) {
  const census = useQuery(wardQueries.census());
  if (census.isError) return <FormError error={census.error} />;
  if (!census.data) return <p className="muted">Reading the census…</p>;
  const rows = census.data;
  const sum = (k: 'free' | 'occupied' | 'toClean' | 'maintenance' | 'closed' | 'total') => rows.reduce((n, r) => n + r[k], 0);
  return (
    <table className="data-table census" aria-label="Hospital census">
      <thead>
        <tr>
          <th scope="col">Department</th>
          <th scope="col">Free</th>
          <th scope="col">Occupied</th>
          <th scope="col">To clean</th>
          <th scope="col">Maintenance</th>
          <th scope="col">Closed</th>
          <th scope="col">Beds</th>
          <th scope="col">Occupancy</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.departmentId ?? 'none'}>
            <th scope="row">
              {r.departmentId ? (
                <button type="button" className="link-button" onClick={() => onOpen(r.departmentId!)}>
                  {r.departmentName}
                </button>
              ) : (
                r.departmentName
              )}
            </th>
            <td>{r.free}</td>
            <td>{r.occupied}</td>
            <td>{r.toClean}</td>
            <td>{r.maintenance}</td>
            <td>{r.closed}</td>
            <td>{r.total}</td>
            <td>{r.total ? `${Math.round((100 * r.occupied) / r.total)} %` : '—'}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Whole hospital</th>
          <td>{sum('free')}</td>
          <td>{sum('occupied')}</td>
          <td>{sum('toClean')}</td>
          <td>{sum('maintenance')}</td>
          <td>{sum('closed')}</td>
          <td>{sum('total')}</td>
          <td>{sum('total') ? `${Math.round((100 * sum('occupied')) / sum('total'))} %` : '—'}</td>
        </tr>
      </tfoot>
    </table>
  );
}
