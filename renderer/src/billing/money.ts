import type { BillStatus, PaymentMethod } from '../../../contract/index.js';

/** Money as the database sent it (a decimal string), shown with two decimals and no float arithmetic. */
export function formatMoney(value: string): string {
  const [whole = '0', fraction = ''] = value.replace(/^-/, '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value.startsWith('-') ? '−' : ''}${grouped}.${(fraction + '00').slice(0, 2)}`;
}

export const STATUS_LABELS: Record<BillStatus, string> = {
  Pending: 'Open',
  PartiallyPaid: 'Part paid',
  Paid: 'Paid',
  Cancelled: 'Void',
  Refunded: 'Refunded',
};

export const METHOD_LABELS: Record<PaymentMethod, string> = { cash: 'Cash', card: 'Card', insurance: 'Insurance' };

export const formatDate = (iso: string) => iso.slice(0, 10);
