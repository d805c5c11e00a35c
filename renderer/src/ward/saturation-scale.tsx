import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { FormError } from '../ui/form-error.js';
import { shortTime } from './news2-display.js';
import { SPO2_TARGET } from './spo2-target.js';
import { useSetSaturationScale, wardQueries } from './queries.js';
import { mutateThen } from '../client/channel-query.js';

/**
 * The SpO2 scale the next vitals are scored on, with the doctor's decision behind it; a prescriber
 * changes it here with a reason (scale 2: hypercapnic respiratory failure, its lower target in spo2-target.ts).
 */
export function SaturationScalePanel({ patientId, canDecide }: { patientId: number; canDecide: boolean }) {
  const current = useQuery(wardQueries.saturationScale(patientId));
  const save = useSetSaturationScale();
  const [editing, setEditing] = useState(false);
  const [scale, setScale] = useState<1 | 2>(2);
  const [reason, setReason] = useState('');
  const decision = current.data?.decision;

  return (
    <section className="saturation-scale" aria-labelledby="scale-title">
      <h3 id="scale-title">SpO2 scale for NEWS2</h3>
      {current.isError && <FormError error={current.error} />}
      {current.data && (
        <p data-testid="saturation-scale">
          <strong>Scale {current.data.scale}</strong>
          {` — target ${SPO2_TARGET[current.data.scale].text}`}
          {decision ? (
            <span className="muted">
              {' '}
              · set by {decision.decidedBy} at {shortTime(decision.decidedAt)}: {decision.reason}
            </span>
          ) : (
            <span className="muted"> · no doctor's decision recorded</span>
          )}
        </p>
      )}
      {canDecide && !editing && (
        <button
          type="button"
          onClick={() => {
            setScale(current.data?.scale === 2 ? 1 : 2);
            setEditing(true);
          }}
        >
          Change scale
        </button>
      )}
      {canDecide && editing && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            mutateThen(
              save,
              { patientId, scale, reason },
              {
                onSuccess: () => {
                  setEditing(false);
                  setReason('');
                },
              },
            );
          }}
        >
          <fieldset>
            <legend>Score SpO2 on</legend>
            <label>
              <input type="radio" name="spo2-scale" checked={scale === 1} onChange={() => setScale(1)} /> Scale 1 (target{' '}
              {SPO2_TARGET[1].text})
            </label>
            <label>
              <input type="radio" name="spo2-scale" checked={scale === 2} onChange={() => setScale(2)} /> Scale 2 (hypercapnic respiratory
              failure, target {SPO2_TARGET[2].text})
            </label>
          </fieldset>
          <label htmlFor="scale-reason">Reason (at least 5 characters)</label>
          <input id="scale-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={300} required minLength={5} />
          <FormError error={save.error} />
          <span className="row-actions">
            <button type="submit" className="primary" disabled={save.isPending}>
              Save scale
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </span>
        </form>
      )}
    </section>
  );
}
