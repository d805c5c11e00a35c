import { useQuery } from '@tanstack/react-query';
import { toCanvas } from 'bwip-js/browser';
import { useEffect, useRef } from 'react';
import { wristbandCode } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { usePrintMode } from './print-mode.js';
import { wardQueries } from './queries.js';
import { WardDialog } from './ward-dialog.js';

/** The band's barcode: Code 128 of the wristband code, drawn on a canvas (the CSP allows no inline SVG markup). */
function BandBarcode({ code }: { code: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current)
      toCanvas(canvas.current, { bcid: 'code128', text: code, scale: 2, height: 9, includetext: true, textxalign: 'center' });
  }, [code]);
  return <canvas ref={canvas} className="band-barcode" role="img" aria-label={`Barcode ${code}`} data-code={code} />;
}

/**
 * A wristband for an admitted patient: name, birth date, number, allergy warning and a barcode the
 * bedside scanner reads. On screen it is a preview; printed, only the band is on the page (ward.css).
 */
export function WristbandDialog({ patientId, onClose }: { patientId: number; onClose(): void }) {
  const patient = useQuery(wardQueries.patient(patientId));
  const allergies = useQuery(wardQueries.allergies(patientId));
  usePrintMode('band');
  const p = patient.data;
  const code = wristbandCode(patientId);
  const print = useRef<HTMLButtonElement>(null);
  const ready = Boolean(p && allergies.data);
  // Ready once the patient and allergies are read: Enter then prints.
  useEffect(() => {
    if (ready) print.current?.focus();
  }, [ready]);
  return (
    <WardDialog title="Wristband" onClose={onClose} className="wristband-dialog">
      <FormError error={patient.error ?? allergies.error} />
      {p && (
        <div className="wristband" data-testid="wristband">
          <div className="band-text">
            <strong className="band-name">
              {p.lastName.toUpperCase()}, {p.firstName}
            </strong>
            <span>
              Born {p.dateOfBirth} · #{p.patientId}
              {p.gender ? ` · ${p.gender}` : ''}
            </span>
            {allergies.data && allergies.data.length > 0 ? (
              <span className="band-allergy">ALLERGY: {allergies.data.map((a) => a.substance).join(', ')}</span>
            ) : (
              allergies.data && <span>No known allergies</span>
            )}
          </div>
          <BandBarcode code={code} />
        </div>
      )}
      <span className="row-actions no-print">
        <button ref={print} type="button" className="primary" onClick={() => window.print()} disabled={!ready}>
          Print band (Enter)
        </button>
        <button type="button" className="link-button" onClick={onClose}>
          Close (Esc)
        </button>
      </span>
    </WardDialog>
  );
}
