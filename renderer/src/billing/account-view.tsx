import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Bill, PaymentMethod } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { formatDate, formatMoney, METHOD_LABELS, STATUS_LABELS } from './money.js';
import { printInvoice } from './print-invoice.js';
import { billingQueries, useAddCharge, useTakePayment, useVoidBill } from './queries.js';
import { mutateThen } from '../client/channel-query.js';

const OPEN = new Set(['Pending', 'PartiallyPaid']);

/** One patient's account: bills, payments, totals; take a payment, void, add a charge, print the invoice. */
export function AccountView({ patientId, canWrite }: { patientId: number; canWrite: boolean }) {
  const account = useQuery(billingQueries.account(patientId));
  const [paying, setPaying] = useState<Bill | null>(null);
  const [voiding, setVoiding] = useState<Bill | null>(null);
  const [notice, setNotice] = useState('');
  if (account.error) return <FormError error={account.error} />;
  if (!account.data) return <p className="empty">Opening the account…</p>;
  const { patient, bills, payments, totals } = account.data;
  return (
    <section className="panel" aria-labelledby="billing-account">
      <div className="invoice-heading">
        <p>
          <strong>Clinic Workstation hospital</strong> · Invoice printed {new Date().toISOString().slice(0, 10)}
        </p>
      </div>
      <h1 id="billing-account">
        {patient.name}{' '}
        <span className="muted">
          · born {patient.dateOfBirth} · patient {patient.patientId}
        </span>
      </h1>
      {patient.address && <p>{patient.address}</p>}
      <div className="account-totals" aria-label="Totals">
        <span>
          Charged <strong>{formatMoney(totals.charged)}</strong>
        </span>
        <span>
          Paid <strong>{formatMoney(totals.paid)}</strong>
        </span>
        <span>
          Owed <strong>{formatMoney(totals.owed)}</strong>
        </span>
      </div>
      <Notice className="no-print">{notice}</Notice>
      <table className="data-table" aria-label="Bills">
        <thead>
          <tr>
            <th>Bill</th>
            <th>Date</th>
            <th>Description</th>
            <th className="money">Amount</th>
            <th className="money">Paid</th>
            <th className="money">Owed</th>
            <th>Status</th>
            {canWrite && (
              <th className="no-print">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {bills.map((bill) => (
            <tr key={bill.billId}>
              <td>{bill.billId}</td>
              <td className="nowrap">{formatDate(bill.billDate)}</td>
              <td>
                {bill.description}
                {bill.voidReason && <div className="muted">Void: {bill.voidReason}</div>}
              </td>
              <td className="money">{formatMoney(bill.amount)}</td>
              <td className="money">{formatMoney(bill.paid)}</td>
              <td className="money">{formatMoney(bill.owed)}</td>
              <td>
                <span className={`bill-status bill-status-${bill.status}`}>{STATUS_LABELS[bill.status]}</span>
              </td>
              {canWrite && (
                <td className="no-print">
                  {OPEN.has(bill.status) && (
                    <span className="row-actions">
                      <button type="button" onClick={() => setPaying(bill)} aria-label={`Take a payment on bill ${bill.billId}`}>
                        Take payment
                      </button>
                      {bill.paid === '0.00' && (
                        <button type="button" onClick={() => setVoiding(bill)} aria-label={`Void bill ${bill.billId}`}>
                          Void
                        </button>
                      )}
                    </span>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {bills.length === 0 && <p className="empty">No bills yet.</p>}
      {paying && (
        <PaymentForm
          key={paying.billId}
          bill={paying}
          onDone={(message) => {
            setPaying(null);
            setNotice(message);
          }}
          onCancel={() => setPaying(null)}
        />
      )}
      {voiding && (
        <VoidForm
          key={voiding.billId}
          bill={voiding}
          onDone={(message) => {
            setVoiding(null);
            setNotice(message);
          }}
          onCancel={() => setVoiding(null)}
        />
      )}
      <h2>Payments</h2>
      {payments.length === 0 ? (
        <p className="empty">No payments yet.</p>
      ) : (
        <table className="data-table" aria-label="Payments">
          <thead>
            <tr>
              <th>Received</th>
              <th>Bill</th>
              <th>Method</th>
              <th>Reference</th>
              <th className="money">Amount</th>
              <th>By</th>
            </tr>
          </thead>
          <tbody>
            {payments.map((p) => (
              <tr key={p.paymentId}>
                <td>{formatDate(p.receivedAt)}</td>
                <td>{p.billId}</td>
                <td>{METHOD_LABELS[p.method]}</td>
                <td>{p.reference ?? ''}</td>
                <td className="money">{formatMoney(p.amount)}</td>
                <td>{p.receivedBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="row-actions no-print">
        <button type="button" className="primary" onClick={printInvoice}>
          Print invoice
        </button>
      </div>
      {canWrite && <ChargeForm patientId={patientId} onDone={setNotice} />}
    </section>
  );
}

function PaymentForm({ bill, onDone, onCancel }: { bill: Bill; onDone(message: string): void; onCancel(): void }) {
  const [amount, setAmount] = useState(bill.owed);
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [reference, setReference] = useState('');
  const take = useTakePayment();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutateThen(
      take,
      { billId: bill.billId, amount, method, ...(reference.trim() ? { reference: reference.trim() } : {}) },
      { onSuccess: (r) => onDone(`Payment taken on bill ${bill.billId}: ${formatMoney(r.owed)} still owed.`) },
    );
  };
  return (
    <form className="billing-form no-print" onSubmit={submit} aria-label={`Payment on bill ${bill.billId}`}>
      <label>
        Amount (owed {formatMoney(bill.owed)})
        <input value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" autoFocus />
      </label>
      <label>
        Method
        <select value={method} onChange={(e) => setMethod(e.target.value as PaymentMethod)}>
          {(['cash', 'card', 'insurance'] as const).map((m) => (
            <option key={m} value={m}>
              {METHOD_LABELS[m]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {method === 'insurance' ? 'Claim number' : 'Reference (optional)'}
        <input value={reference} onChange={(e) => setReference(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={take.isPending}>
        Take payment
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <FormError error={take.error} />
    </form>
  );
}

function VoidForm({ bill, onDone, onCancel }: { bill: Bill; onDone(message: string): void; onCancel(): void }) {
  const [reason, setReason] = useState('');
  const voidBill = useVoidBill();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutateThen(voidBill, { billId: bill.billId, reason }, { onSuccess: () => onDone(`Bill ${bill.billId} is void.`) });
  };
  return (
    <form className="billing-form no-print" onSubmit={submit} aria-label={`Void bill ${bill.billId}`}>
      <label>
        Why is bill {bill.billId} void?
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={300} autoFocus />
      </label>
      <button type="submit" className="primary" disabled={voidBill.isPending}>
        Void bill
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <FormError error={voidBill.error} />
    </form>
  );
}

function ChargeForm({ patientId, onDone }: { patientId: number; onDone(message: string): void }) {
  const [description, setDescription] = useState('');
  const [amount, setAmount] = useState('');
  const add = useAddCharge();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutateThen(
      add,
      { patientId, description, amount },
      {
        onSuccess: (r) => {
          setDescription('');
          setAmount('');
          onDone(`Charge added as bill ${r.billId}.`);
        },
      },
    );
  };
  return (
    <form className="billing-form no-print" onSubmit={submit} aria-label="Add a charge">
      <label>
        Charge
        <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={255} />
      </label>
      <label>
        Amount
        <input value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" />
      </label>
      <button type="submit" disabled={add.isPending}>
        Add charge
      </button>
      <FormError error={add.error} />
    </form>
  );
}
