import { useState } from 'react';
import type { MedicineSummary } from '../../../contract/pharmacy.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { MedicinePicker, medicineLabel } from './medicine-picker.js';
import { OFFLINE_REASON, useDatabaseReachable } from './offline.js';
import { useReceiveDelivery } from './queries.js';
import { mutateThen } from '../client/channel-query.js';

const FIELD_NAMES: Record<string, string> = {
  lotNumber: 'Lot number',
  expiryDate: 'Expiry date',
  quantity: 'Quantity',
  supplier: 'Supplier',
  medicineId: 'Medicine',
};

/** A delivery arrives as a new lot: number, expiry, quantity, supplier (its stock through a Receive row). */
export function ReceiveView() {
  const receive = useReceiveDelivery();
  const reachable = useDatabaseReachable();
  const [medicine, setMedicine] = useState<MedicineSummary | null>(null);
  const [lotNumber, setLotNumber] = useState('');
  const [expiryDate, setExpiryDate] = useState('');
  const [quantity, setQuantity] = useState('');
  const [supplier, setSupplier] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section aria-labelledby="receive-title">
      <h2 id="receive-title">Receive a delivery</h2>
      <form
        className="settings-form plain receive-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!medicine) return;
          mutateThen(
            receive,
            { medicineId: medicine.medicineId, lotNumber, expiryDate, quantity: Number(quantity), supplier },
            {
              onSuccess: (r) => {
                setNotice(
                  `Received ${quantity} × ${medicineLabel(medicine)}, lot ${lotNumber} (expires ${expiryDate}): ${r.quantityOnHand} on hand in this lot.`,
                );
                setLotNumber('');
                setQuantity('');
                setExpiryDate('');
              },
            },
          );
        }}
      >
        <MedicinePicker id="receive-medicine" label="Medicine" chosen={medicine} onPick={setMedicine} autoFocus />
        <div className="field-grid">
          <label htmlFor="receive-lot">Lot number</label>
          <input id="receive-lot" value={lotNumber} onChange={(e) => setLotNumber(e.target.value)} maxLength={50} />
          <label htmlFor="receive-expiry">Expiry date</label>
          <input id="receive-expiry" type="date" value={expiryDate} onChange={(e) => setExpiryDate(e.target.value)} />
          <label htmlFor="receive-quantity">Quantity</label>
          <input id="receive-quantity" type="number" min={1} value={quantity} onChange={(e) => setQuantity(e.target.value)} />
          <label htmlFor="receive-supplier">Supplier</label>
          <input id="receive-supplier" value={supplier} onChange={(e) => setSupplier(e.target.value)} maxLength={150} />
        </div>
        <FormError error={receive.error} fieldName={(path) => FIELD_NAMES[path] ?? path} />
        <Notice>{notice}</Notice>
        <button
          type="submit"
          className="primary"
          disabled={!reachable || !medicine || receive.isPending}
          title={reachable ? undefined : OFFLINE_REASON}
        >
          Receive into stock
        </button>
        {!medicine && <p className="muted">Choose the medicine first (type its name, then Enter).</p>}
      </form>
    </section>
  );
}
