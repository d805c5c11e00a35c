import { useQuery } from '@tanstack/react-query';
import type { Mar, WardLastKnownCopy } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { BedBoardGrid } from './bed-board.js';
import { DOSE_WORDS, marTime } from './mar-table.js';
import { printedAt } from './news2-display.js';
import { usePrintMode } from './print-mode.js';
import { wardQueries } from './queries.js';

/**
 * While the database is away: the ward's last-known copy kept sealed on this terminal, read only,
 * under a red banner; and a downtime MAR to print for paper charting. Nothing clinical is recorded.
 */
export function OfflineWard() {
  const copy = useQuery({ ...wardQueries.lastKnownCopy(), refetchInterval: 60_000 });
  usePrintMode('downtime');
  const c = copy.data;
  return (
    <>
      <div className="offline-banner" role="alert" data-testid="ward-offline-banner">
        <strong>The hospital database cannot be reached.</strong>{' '}
        {c
          ? `This is the ward as it was at ${printedAt(c.takenAt)} (last-known copy on this terminal).`
          : 'This terminal holds no copy of the ward for you.'}{' '}
        <strong>Nothing clinical can be recorded now</strong>: chart on paper (print the downtime MAR) and enter it when the database is
        back.
      </div>
      <header className="screen-header no-print">
        <h1 id="ward-title">Ward{c ? ` — ${c.board.departmentName}` : ''} (read only)</h1>
        {c && (
          <button type="button" className="primary" onClick={() => window.print()}>
            Print downtime MAR
          </button>
        )}
      </header>
      <FormError error={copy.error} />
      {c && (
        <>
          <div className="no-print">
            <BedBoardGrid board={c.board} onEnter={() => undefined} />
            <AllergyList copy={c} />
          </div>
          <DowntimeMar copy={c} />
        </>
      )}
    </>
  );
}

function AllergyList({ copy }: { copy: WardLastKnownCopy }) {
  const named = copy.allergies.filter((a) => a.allergies.length > 0);
  const name = (id: number) => copy.board.beds.find((b) => b.patient?.patientId === id)?.patient?.name ?? `#${id}`;
  return (
    <section aria-labelledby="offline-allergies" className="offline-allergies">
      <h2 id="offline-allergies">Allergies</h2>
      {named.length === 0 ? (
        <p className="muted">No allergies on record for the patients on this ward.</p>
      ) : (
        <ul>
          {named.map((a) => (
            <li key={a.patientId}>
              <strong>{name(a.patientId)}</strong>: {a.allergies.join('; ')}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The next 12 hours of doses per patient, and those left due, late or missed before the copy, with empty boxes to sign on paper. Printed on A4. */
function DowntimeMar({ copy }: { copy: WardLastKnownCopy }) {
  const mar: Mar | null = copy.mar;
  return (
    <section className="downtime-mar" aria-labelledby="downtime-title">
      <h2 id="downtime-title">
        Downtime MAR — {copy.board.departmentName}, from the copy of {printedAt(copy.takenAt)}
      </h2>
      {!mar ? (
        <p className="warn">The medication record was not in the copy: ask pharmacy for the paper charts.</p>
      ) : mar.patients.length === 0 ? (
        <p className="muted">No doses in the next 12 hours.</p>
      ) : (
        mar.patients.map((p) => (
          <table key={p.patientId} className="data-table downtime-table" aria-label={`Downtime MAR of ${p.name}`}>
            <caption>
              {p.roomNumber ? `${p.roomNumber}/${p.bedNumber} · ` : ''}
              <strong>{p.name}</strong> · #{p.patientId}
              {p.allergies.length > 0 ? ` · ALLERGIES: ${p.allergies.join('; ')}` : ' · no known allergies'}
            </caption>
            <colgroup>
              <col className="col-medicine" />
              <col className="col-due" />
              <col className="col-state" />
              <col className="col-sign" />
              <col className="col-initials" />
              <col className="col-witness" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Medicine, dose, route</th>
                <th scope="col">Due</th>
                <th scope="col">State in copy</th>
                <th scope="col">Given at</th>
                <th scope="col">Initials</th>
                <th scope="col">Witness / reason</th>
              </tr>
            </thead>
            <tbody>
              {!p.orders.some((o) => o.prn || o.doses.length > 0) && (
                <tr>
                  <td colSpan={6} className="muted">
                    No doses in the next 12 hours.
                  </td>
                </tr>
              )}
              {p.orders.flatMap((o) =>
                (o.prn ? [null] : o.doses).map((d) => (
                  <tr key={`${o.prescriptionId}-${d?.scheduledFor ?? 'prn'}`}>
                    <td>
                      {o.medicineName} {o.strength} — {o.dose} {o.route}
                      {o.isControlled ? ' (CD)' : ''}
                    </td>
                    <td>{d ? marTime(d.scheduledFor, mar.timeZone) : `PRN, max ${o.prn!.maxPer24h}/24 h`}</td>
                    <td>
                      {d
                        ? d.state === 'missed'
                          ? 'MISSED: record it not given; do not give it now'
                          : DOSE_WORDS[d.state]
                        : o.prn!.nextAllowedAt
                          ? `next ${marTime(o.prn!.nextAllowedAt, mar.timeZone)}`
                          : 'may be given'}
                    </td>
                    {/* A missed dose is not given late on paper either (the scan refuses it online): no box to sign it given. */}
                    <td className={d?.state === 'missed' ? 'sign-box shaded' : 'sign-box'} />
                    <td className="sign-box" />
                    <td className="sign-box" />
                  </tr>
                )),
              )}
            </tbody>
          </table>
        ))
      )}
    </section>
  );
}
