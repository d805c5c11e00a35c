import type { Observation } from '../../../contract/index.js';
import { responseClass, shortTime } from './news2-display.js';

/** A value the server flagged as a plausible extreme when it was saved ("pulse-high"): marked, so the next nurse sees it was. */
const flagged = (o: Observation, field: string) =>
  o.flags.some((f) => f === `${field}-high` || f === `${field}-low`) ? 'vital-flagged' : undefined;

/** The readings behind the charts, newest first, each with who charted it; a corrected one stays, struck through and marked. */
export function ObservationTable({ observations, onCorrect }: { observations: Observation[]; onCorrect?: (o: Observation) => void }) {
  if (observations.length === 0) return <p className="muted">No observations in the last 72 hours.</p>;
  return (
    <table className="data-table observations" aria-label="Observations, newest first">
      <thead>
        <tr>
          <th scope="col">Taken</th>
          <th scope="col">RR</th>
          <th scope="col">SpO2</th>
          <th scope="col">Air/O2</th>
          <th scope="col">BP</th>
          <th scope="col">Pulse</th>
          <th scope="col">ACVPU</th>
          <th scope="col">Temp</th>
          <th scope="col">NEWS2</th>
          {onCorrect && <th scope="col">Wrong?</th>}
        </tr>
      </thead>
      <tbody>
        {observations.slice(0, 12).map((o) => (
          <tr key={o.observationId} className={o.enteredInError ? 'in-error' : undefined}>
            <td>
              {shortTime(o.takenAt)}
              <span className="observation-by"> {o.recordedBy}</span>
              {o.enteredInError && <span className="tag">entered in error</span>}
            </td>
            <td className={flagged(o, 'respirationRate')}>{o.respirationRate}</td>
            <td className={flagged(o, 'spo2')}>
              {o.spo2}
              {o.spo2Scale === 2 ? ' (s2)' : ''}
            </td>
            <td>{o.onOxygen ? 'O2' : 'Air'}</td>
            <td className={flagged(o, 'systolicBp')}>{o.systolicBp}</td>
            <td className={flagged(o, 'pulse')}>{o.pulse}</td>
            <td>{o.consciousness}</td>
            <td className={flagged(o, 'temperature')}>{o.temperature.toFixed(1)}</td>
            <td>
              <span className={responseClass(o.news2Response)}>{o.news2Score}</span>
              {o.news2SingleThree ? ' ³' : ''}
            </td>
            {onCorrect && (
              <td>
                {!o.enteredInError && (
                  <button
                    type="button"
                    className="small-button"
                    onClick={() => onCorrect(o)}
                    aria-label={`Correct the reading of ${shortTime(o.takenAt)}`}
                  >
                    Correct…
                  </button>
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
