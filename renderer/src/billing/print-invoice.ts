/**
 * Prints the open account as an invoice: billing.css keys its @media print rules on
 * `<body data-billing-print>` so only the invoice prints. window.print() returns once the dialog is done.
 */
export function printInvoice(): void {
  document.body.dataset.billingPrint = 'invoice';
  try {
    window.print();
  } finally {
    delete document.body.dataset.billingPrint;
  }
}
