/**
 * Prints one sheet of the Pharmacy screen: pharmacy.css keys its @media print rules on
 * `<body data-pharmacy-print=…>` so a label prints alone on a label-sized page, a report on A4.
 * window.print() returns once the print dialog is done, so the mark is removed right after.
 */
export function printSheet(kind: 'label' | 'report'): void {
  document.body.dataset.pharmacyPrint = kind;
  try {
    window.print();
  } finally {
    delete document.body.dataset.pharmacyPrint;
  }
}
