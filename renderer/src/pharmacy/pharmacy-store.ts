import { createContext, useContext, useState } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import type { DispenseResult, OrderDetail } from '../../../contract/pharmacy.js';

export type PharmacyView = 'queue' | 'order' | 'dispense' | 'stock' | 'ledger' | 'reports' | 'receive' | 'controlled' | 'prescribe';

/** A finished dispense with the order as it was, which the label is printed from. */
export interface LabelData {
  order: OrderDetail;
  result: DispenseResult;
  dispensedOn: string;
}

/**
 * What the Pharmacy screen holds that is not the server's: the view shown, the order open, the last
 * label. One store per screen: leaving the screen (or another user at the window) forgets it.
 */
export interface PharmacyState {
  view: PharmacyView;
  orderId: number | null;
  /** Where the queue's highlight stands, so coming back keeps the place. */
  queueIndex: number;
  label: LabelData | null;
  help: boolean;
  set(change: Partial<Omit<PharmacyState, 'set' | 'openOrder'>> | ((s: PharmacyState) => Partial<PharmacyState>)): void;
  openOrder(orderId: number, view?: 'order' | 'dispense'): void;
}

export function createPharmacyStore(first: PharmacyView): StoreApi<PharmacyState> {
  return createStore<PharmacyState>((set) => ({
    view: first,
    orderId: null,
    queueIndex: 0,
    label: null,
    help: false,
    set: (change) => set(change),
    openOrder: (orderId, view = 'order') =>
      set((s) => ({ orderId, view, label: s.label?.order.prescriptionId === orderId ? s.label : null })),
  }));
}

export const PharmacyContext = createContext<StoreApi<PharmacyState> | null>(null);

export function useNewPharmacyStore(first: PharmacyView): StoreApi<PharmacyState> {
  const [store] = useState(() => createPharmacyStore(first));
  return store;
}

export function usePharmacy<T>(selector: (state: PharmacyState) => T): T {
  const store = useContext(PharmacyContext);
  if (!store) throw new Error('usePharmacy outside the Pharmacy screen');
  return useStore(store, selector);
}
