import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../session/index.js';
import { FormError } from '../ui/form-error.js';
import { AccountView } from './account-view.js';
import { formatDate, formatMoney } from './money.js';
import { billingQueries, useBillAppointment, useBillStay } from './queries.js';
import './billing.css';
import { mutateThen } from '../client/channel-query.js';

/** Billing: who owes what, what is still to bill, and one patient's account and invoice. */
export function BillingScreen() {
  const [patientId, setPatientId] = useState<number | null>(null);
  const canWrite = useCan('billing.write');
  return (
    <div className="billing-layout">
      <div className="billing-side no-print">
        <PatientFinder onOpen={setPatientId} />
        <Balances onOpen={setPatientId} />
        {canWrite && <ToBill onOpen={setPatientId} />}
      </div>
      {patientId === null ? (
        <section className="panel" aria-label="Account">
          <h1>Account</h1>
          <p className="empty">Find a patient, or pick one who owes money, to see their bills and take a payment.</p>
        </section>
      ) : (
        // Keyed by patient: a payment or void form open for one patient never stays on screen for the next.
        <AccountView key={patientId} patientId={patientId} canWrite={canWrite} />
      )}
    </div>
  );
}

function PatientFinder({ onOpen }: { onOpen(patientId: number): void }) {
  const [query, setQuery] = useState('');
  const typed = query.trim();
  const found = useQuery({ ...billingQueries.patientSearch(typed), enabled: typed.length >= 2 });
  return (
    <section className="panel" aria-labelledby="billing-find">
      <h1 id="billing-find">Find a patient</h1>
      <label htmlFor="billing-search">Name, birth date or number</label>
      <input id="billing-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
      <FormError error={found.error} />
      {typed.length >= 2 && found.data && (
        <ul className="plain-list" aria-label="Patients found">
          {found.data.length === 0 && <li className="empty">No patient found.</li>}
          {found.data.map((p) => (
            <li key={p.patientId}>
              <button type="button" className="list-button" onClick={() => onOpen(p.patientId)}>
                {p.lastName}, {p.firstName} ({p.dateOfBirth})
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Balances({ onOpen }: { onOpen(patientId: number): void }) {
  const balances = useQuery(billingQueries.balances());
  return (
    <section className="panel" aria-labelledby="billing-owing">
      <h1 id="billing-owing">Patients who owe most</h1>
      <FormError error={balances.error} />
      {balances.data?.length === 0 && <p className="empty">No one owes anything.</p>}
      {balances.data && balances.data.length > 0 && (
        <table className="data-table" aria-labelledby="billing-owing">
          <thead>
            <tr>
              <th>Patient</th>
              <th className="money">Owed</th>
              <th>Since</th>
            </tr>
          </thead>
          <tbody>
            {balances.data.map((b) => (
              <tr key={b.patientId}>
                <td>
                  <button type="button" className="list-button" onClick={() => onOpen(b.patientId)}>
                    {b.name}
                  </button>
                </td>
                <td className="money">{formatMoney(b.owed)}</td>
                <td className="nowrap">{formatDate(b.oldestOpenBill)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ToBill({ onOpen }: { onOpen(patientId: number): void }) {
  const unbilled = useQuery(billingQueries.unbilled());
  const billAppointment = useBillAppointment();
  const billStay = useBillStay();
  const error = billAppointment.error ?? billStay.error;
  return (
    <section className="panel" aria-labelledby="billing-to-bill">
      <h1 id="billing-to-bill">To bill</h1>
      <FormError error={unbilled.error ?? error} />
      {unbilled.data?.length === 0 && <p className="empty">Every seen appointment and finished stay is billed.</p>}
      {unbilled.data && unbilled.data.length > 0 && (
        <table className="data-table" aria-labelledby="billing-to-bill">
          <thead>
            <tr>
              <th>What</th>
              <th className="money">Amount</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {unbilled.data.map((u) => (
              <tr key={`${u.kind}-${u.id}`}>
                <td>
                  <button type="button" className="list-button" onClick={() => onOpen(u.patientId)}>
                    {u.patientName}
                  </button>
                  <br />
                  {u.description}
                  {u.kind === 'stay' && ` — ${u.quantity} day${u.quantity === '1' ? '' : 's'} × ${formatMoney(u.unitPrice)}`}
                </td>
                <td className="money">{formatMoney(u.amount)}</td>
                <td>
                  <button
                    type="button"
                    aria-label={`Bill ${u.patientName}: ${u.description}`}
                    onClick={() =>
                      u.kind === 'appointment'
                        ? mutateThen(billAppointment, { appointmentId: u.id }, { onSuccess: () => onOpen(u.patientId) })
                        : mutateThen(billStay, { assignmentId: u.id }, { onSuccess: () => onOpen(u.patientId) })
                    }
                  >
                    Bill
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
