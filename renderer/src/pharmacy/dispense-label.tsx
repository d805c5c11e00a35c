import { toCanvas } from 'bwip-js/browser';
import { useEffect, useRef } from 'react';
import { dispenseLabelCode } from '../../../contract/index.js';
import { orderDirections } from './order-summary.js';
import type { LabelData } from './pharmacy-store.js';

/** Code 128 of the label's code, drawn on a canvas (the CSP allows no inline SVG markup). */
function LabelBarcode({ code }: { code: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current)
      toCanvas(canvas.current, { bcid: 'code128', text: code, scale: 2, height: 8, includetext: true, textxalign: 'center' });
  }, [code]);
  return <canvas ref={canvas} className="label-barcode" role="img" aria-label={`Barcode ${code}`} data-code={code} />;
}

/** "Priya Pharmacist" → "PP". */
export const initialsOf = (name: string) =>
  name
    .split(/\s+/)
    .filter((part) => /^[A-Za-z]/.test(part))
    .map((part) => part[0]!.toUpperCase())
    .join('');

/**
 * The dispensing label: patient, medicine, directions in plain words, quantity, lots and expiry, date,
 * the pharmacist's initials, and a barcode a ward scanner reads back to this dispense (its first ledger row).
 */
export function DispenseLabel({ label, pharmacist }: { label: LabelData; pharmacist: string }) {
  const { order, result, dispensedOn } = label;
  const first = result.lines[0];
  if (!first) return null;
  const code = dispenseLabelCode(first.transactionId);
  return (
    <article className="label-sheet" aria-label="Dispensing label" data-testid="dispense-label">
      <header className="label-patient">
        <strong>{order.patientName.toUpperCase()}</strong>
        <span>
          Born {order.patientDateOfBirth} · #{order.patientId}
        </span>
      </header>
      <p className="label-medicine">
        <strong>
          {order.medicineName} {order.strength}
        </strong>{' '}
        {order.form}
      </p>
      <p className="label-directions">{orderDirections(order)}</p>
      {order.instructions && <p className="label-instructions">{order.instructions}</p>}
      <p className="label-detail">
        <strong>Qty {result.dispensed}</strong>
      </p>
      <ul className="label-lots">
        {result.lines.map((line) => (
          <li key={line.transactionId}>
            Lot {line.lotNumber}, exp {line.expiryDate}
            {result.lines.length > 1 ? ` (${line.quantity})` : ''}
            {line.expiresBeforeCourseEnds ? ' — expires before the course ends' : ''}
          </li>
        ))}
      </ul>
      <footer className="label-footer">
        <span>
          Dispensed {dispensedOn} · {initialsOf(pharmacist)}
          {result.witnessedBy ? ` · witness ${initialsOf(result.witnessedBy)}` : ''}
        </span>
        <LabelBarcode code={code} />
      </footer>
    </article>
  );
}
