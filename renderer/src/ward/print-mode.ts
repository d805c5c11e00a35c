import { useEffect } from 'react';

/** What a print of the ward screen holds: a band, the A4 handover, or the downtime MAR. */
export type PrintMode = 'band' | 'handover' | 'downtime';

/**
 * While the component is shown, printing prints only its sheet: ward.css keys its @media print
 * rules on `<body data-ward-print=…>` (one sheet per print, with its own page size).
 */
export function usePrintMode(mode: PrintMode | null) {
  useEffect(() => {
    if (!mode) return;
    document.body.dataset.wardPrint = mode;
    return () => {
      if (document.body.dataset.wardPrint === mode) delete document.body.dataset.wardPrint;
    };
  }, [mode]);
}
