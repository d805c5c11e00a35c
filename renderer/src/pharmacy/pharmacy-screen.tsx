import { useRef, type KeyboardEvent, type ReactElement } from 'react';
import type { Permission } from '../../../contract/index.js';
import { useSession } from '../session/index.js';
import { useAltShortcuts } from '../ui/alt-shortcuts.js';
import { ShortcutHint, ShortcutTable } from '../ui/shortcut-hint.js';
import { ControlledView } from './controlled-view.js';
import { DispenseView } from './dispense-view.js';
import { LedgerView } from './ledger-view.js';
import { OrderView } from './order-view.js';
import { PharmacyContext, useNewPharmacyStore, usePharmacy, type PharmacyView } from './pharmacy-store.js';
import { PHARMACY_SHORTCUTS } from './pharmacy-shortcuts.js';
import { PrescribeView } from './prescribe-view.js';
import { QueueView } from './queue-view.js';
import { ReceiveView } from './receive-view.js';
import { ReportsView } from './reports-view.js';
import { StockView } from './stock-view.js';
import './pharmacy.css';

interface PharmacyTab {
  id: PharmacyView;
  label: string;
  /** The Alt+key that opens it. */
  key: string;
  access: Permission;
  render: () => ReactElement;
}

const TABS: PharmacyTab[] = [
  { id: 'queue', label: 'Queue', key: 'Q', access: 'pharmacy.dispense', render: () => <QueueView /> },
  { id: 'order', label: 'Order', key: 'O', access: 'pharmacy.dispense', render: () => <OrderView /> },
  { id: 'dispense', label: 'Dispense', key: 'D', access: 'pharmacy.dispense', render: () => <DispenseView /> },
  { id: 'stock', label: 'Stock', key: 'S', access: 'pharmacy.stock', render: () => <StockView /> },
  { id: 'ledger', label: 'Ledger', key: 'L', access: 'pharmacy.stock', render: () => <LedgerView /> },
  { id: 'reports', label: 'Reports', key: 'R', access: 'pharmacy.stock', render: () => <ReportsView /> },
  { id: 'receive', label: 'Receive delivery', key: 'E', access: 'pharmacy.stock', render: () => <ReceiveView /> },
  { id: 'controlled', label: 'Controlled drugs', key: 'C', access: 'pharmacy.dispense', render: () => <ControlledView /> },
  { id: 'prescribe', label: 'Prescribe', key: 'P', access: 'prescriptions.write', render: () => <PrescribeView /> },
];

/** The sections this user may open (a doctor reaches only Prescribe). */
function useTabs(): PharmacyTab[] {
  const permissions = useSession((s) => s.session?.user.permissions);
  return TABS.filter((tab) => permissions?.includes(tab.access));
}

/** The pharmacy counter: queue → order → dispense with its label; stock, ledger, reports, deliveries, controlled drugs. */
export function PharmacyScreen() {
  const tabs = useTabs();
  const store = useNewPharmacyStore(tabs[0]?.id ?? 'queue');
  return (
    <PharmacyContext.Provider value={store}>
      <PharmacySections tabs={tabs} />
    </PharmacyContext.Provider>
  );
}

function PharmacySections({ tabs }: { tabs: PharmacyTab[] }) {
  const view = usePharmacy((s) => s.view);
  const help = usePharmacy((s) => s.help);
  const set = usePharmacy((s) => s.set);
  const tabList = useRef<HTMLDivElement>(null);
  const tab = tabs.find((candidate) => candidate.id === view) ?? tabs[0];
  const show = (id: PharmacyView) => set({ view: id });

  useAltShortcuts({
    ...Object.fromEntries(tabs.map((t) => [t.key.toLowerCase(), () => show(t.id)])),
    h: () => set((s) => ({ help: !s.help })),
  });

  // Arrow keys move between sections, as in any tab list (WAI-ARIA tabs pattern).
  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0 || !tab) return;
    const index = tabs.findIndex((candidate) => candidate.id === tab.id);
    const next = tabs[(index + step + tabs.length) % tabs.length]!;
    show(next.id);
    tabList.current?.querySelector<HTMLButtonElement>(`#pharmacy-tab-${next.id}`)?.focus();
  };

  if (!tab) return <p className="empty">Your role has no pharmacy sections.</p>;
  return (
    <section className="panel wide pharmacy" aria-labelledby="pharmacy-title">
      <header className="screen-header no-print">
        <h1 id="pharmacy-title">Pharmacy</h1>
        <button type="button" onClick={() => set((s) => ({ help: !s.help }))} aria-expanded={help}>
          Shortcuts <ShortcutHint keys="Alt+H" hidden />
        </button>
      </header>
      {help && <ShortcutTable shortcuts={PHARMACY_SHORTCUTS} className="no-print" />}
      <div ref={tabList} role="tablist" aria-label="Pharmacy sections" className="tab-list no-print" onKeyDown={onKeyDown}>
        {tabs.map((candidate) => (
          <button
            key={candidate.id}
            id={`pharmacy-tab-${candidate.id}`}
            type="button"
            role="tab"
            aria-selected={candidate.id === tab.id}
            aria-controls="pharmacy-panel"
            aria-keyshortcuts={`Alt+${candidate.key}`}
            tabIndex={candidate.id === tab.id ? 0 : -1}
            onClick={() => show(candidate.id)}
          >
            {candidate.label} <ShortcutHint keys={`Alt+${candidate.key}`} hidden />
          </button>
        ))}
      </div>
      <div id="pharmacy-panel" role="tabpanel" aria-labelledby={`pharmacy-tab-${tab.id}`} className="pharmacy-panel">
        {tab.render()}
      </div>
    </section>
  );
}
