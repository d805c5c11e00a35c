import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { RunStatus, Vehicle, VehicleStatus } from '../../../contract/index.js';
import { useCan } from '../session/index.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { DispatchForm } from './dispatch-form.js';
import { ambulanceQueries, useSetVehicleStatus, useUpdateRun } from './queries.js';
import './ambulance.css';
import { mutateThen } from '../client/channel-query.js';

const VEHICLE_LABELS: Record<VehicleStatus, string> = {
  Available: 'Available',
  OnCall: 'On call',
  Maintenance: 'Maintenance',
  OutOfService: 'Out of service',
};
const RUN_LABELS: Record<RunStatus, string> = {
  Dispatched: 'Dispatched',
  EnRoute: 'En route',
  Arrived: 'Arrived',
  Returned: 'Returned',
  Cancelled: 'Cancelled',
};
const NEXT_STEP: Partial<Record<RunStatus, 'EnRoute' | 'Arrived' | 'Returned'>> = {
  Dispatched: 'EnRoute',
  EnRoute: 'Arrived',
  Arrived: 'Returned',
};
const time = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '');

/** Ambulance: the fleet board, dispatch, each run's steps, and response times per day. */
export function AmbulanceScreen() {
  const canDispatch = useCan('ambulance.dispatch');
  const fleet = useQuery(ambulanceQueries.fleet());
  const [dispatching, setDispatching] = useState<Vehicle | null>(null);
  const [notice, setNotice] = useState('');
  const update = useUpdateRun();
  const setStatus = useSetVehicleStatus();
  return (
    <section className="panel wide" aria-labelledby="ambulance-title">
      <h1 id="ambulance-title">Ambulance fleet</h1>
      <Notice>{notice}</Notice>
      <FormError error={fleet.error ?? update.error ?? setStatus.error} />
      {dispatching && fleet.data && (
        <DispatchForm
          vehicle={dispatching}
          crew={fleet.data.crew}
          onDone={(message) => {
            setDispatching(null);
            setNotice(message);
          }}
          onCancel={() => setDispatching(null)}
        />
      )}
      <ul className="fleet-board" aria-label="Vehicles">
        {fleet.data?.vehicles.map((v) => {
          const next = v.openRun ? NEXT_STEP[v.openRun.status] : undefined;
          return (
            <li
              key={v.ambulanceId}
              className={`vehicle-card vehicle-${v.status}`}
              aria-label={`${v.vehicleNumber}: ${VEHICLE_LABELS[v.status]}`}
            >
              <h2>{v.vehicleNumber}</h2>
              <div className="vehicle-state">{VEHICLE_LABELS[v.status]}</div>
              <div className="muted">
                {v.equipmentLevel} · {v.driverName ?? 'no regular driver'}
              </div>
              {v.openRun && (
                <p>
                  {RUN_LABELS[v.openRun.status]} since {time(v.openRun.arrivedAt ?? v.openRun.enRouteAt ?? v.openRun.dispatchedAt)}
                  <br />
                  {v.openRun.pickupLocation} → {v.openRun.destination}
                  {v.openRun.patientName && (
                    <>
                      <br />
                      Patient: {v.openRun.patientName}
                    </>
                  )}
                </p>
              )}
              {canDispatch && (
                <div className="row-actions">
                  {v.status === 'Available' && (
                    <button type="button" className="primary" onClick={() => setDispatching(v)} aria-label={`Dispatch ${v.vehicleNumber}`}>
                      Dispatch
                    </button>
                  )}
                  {v.openRun && next && (
                    <button
                      type="button"
                      className="primary"
                      aria-label={`${v.vehicleNumber}: ${RUN_LABELS[next].toLowerCase()}`}
                      onClick={() =>
                        mutateThen(
                          update,
                          { logId: v.openRun!.logId, status: next },
                          { onSuccess: () => setNotice(`${v.vehicleNumber}: ${RUN_LABELS[next].toLowerCase()}.`) },
                        )
                      }
                    >
                      {RUN_LABELS[next]}
                    </button>
                  )}
                  {v.openRun && (
                    <button
                      type="button"
                      aria-label={`Cancel the run of ${v.vehicleNumber}`}
                      onClick={() => update.mutate({ logId: v.openRun!.logId, status: 'Cancelled' })}
                    >
                      Cancel run
                    </button>
                  )}
                  {!v.openRun && (
                    <label>
                      <span className="visually-hidden">State of {v.vehicleNumber}</span>
                      <select
                        value={v.status}
                        onChange={(e) =>
                          setStatus.mutate({
                            ambulanceId: v.ambulanceId,
                            status: e.target.value as 'Available' | 'Maintenance' | 'OutOfService',
                          })
                        }
                      >
                        <option value="Available">Available</option>
                        <option value="Maintenance">Maintenance</option>
                        <option value="OutOfService">Out of service</option>
                      </select>
                    </label>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <div className="ambulance-columns">
        <RunsToday />
        <ResponseTimes />
      </div>
    </section>
  );
}

function RunsToday() {
  const runs = useQuery(ambulanceQueries.runs());
  return (
    <section aria-labelledby="runs-title">
      <h2 id="runs-title">Runs in the last 24 hours</h2>
      <FormError error={runs.error} />
      {runs.data?.length === 0 && <p className="empty">No runs.</p>}
      {runs.data && runs.data.length > 0 && (
        <table className="data-table" aria-labelledby="runs-title">
          <thead>
            <tr>
              <th>Vehicle</th>
              <th>Dispatched</th>
              <th>From → to</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((r) => (
              <tr key={r.logId}>
                <td>{r.vehicleNumber}</td>
                <td>{time(r.dispatchedAt)}</td>
                <td>
                  {r.pickupLocation} → {r.destination}
                </td>
                <td>{RUN_LABELS[r.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ResponseTimes() {
  const days = useQuery(ambulanceQueries.responseTimes());
  const minutes = (m: number | null) => (m === null ? '–' : m.toFixed(1));
  return (
    <section aria-labelledby="response-title">
      <h2 id="response-title">Response times (minutes, dispatch to arrival)</h2>
      <FormError error={days.error} />
      <table className="data-table" aria-labelledby="response-title">
        <thead>
          <tr>
            <th>Day</th>
            <th className="money">Runs</th>
            <th className="money">Median</th>
            <th className="money">90th %</th>
            <th className="money">Longest</th>
          </tr>
        </thead>
        <tbody>
          {days.data?.map((d) => (
            <tr key={d.day}>
              <td>{d.day}</td>
              <td className="money">{d.runs}</td>
              <td className="money">{minutes(d.medianMinutes)}</td>
              <td className="money">{minutes(d.p90Minutes)}</td>
              <td className="money">{minutes(d.maxMinutes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
