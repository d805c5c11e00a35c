import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { Bed } from '../../../contract/index.js';
import { useCan, useSession } from '../session/index.js';
import { useAltShortcuts } from '../ui/alt-shortcuts.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { ShortcutHint, ShortcutTable } from '../ui/shortcut-hint.js';
import { BedActions } from './bed-actions.js';
import { AdmitDialog, DischargeDialog, TransferDialog } from './bed-dialogs.js';
import { CleanRequestDialog } from './clean-request-dialog.js';
import { BedBoardGrid } from './bed-board.js';
import { CensusView } from './census-view.js';
import { HandoverView } from './handover-view.js';
import { MedicationRound } from './medication-round.js';
import { OfflineWard } from './offline-ward.js';
import { PatientChart } from './patient-chart.js';
import { useCompleteCleaning, wardQueries } from './queries.js';
import { WARD_SHORTCUTS } from './ward-shortcuts.js';
import { bedAt, bedKey, useNewWardContext, useWard, useWardFocus, WardContext, type WardView } from './ward-store.js';
import { WristbandDialog } from './wristband.js';
import './ward.css';
import { mutateThen } from '../client/channel-query.js';

const VIEWS: { id: WardView; label: string; key: string }[] = [
  { id: 'board', label: 'Bed board', key: 'Alt+B' },
  { id: 'census', label: 'Census', key: 'Alt+C' },
  { id: 'round', label: 'Medication round', key: 'Alt+M' },
  { id: 'handover', label: 'Handover', key: 'Alt+O' },
];

/** The ward terminal: bed board, census, medication round and handover; offline, the last-known copy. */
export function WardScreen() {
  const context = useNewWardContext();
  const database = useSession((s) => s.status?.database);
  return (
    <WardContext.Provider value={context}>
      <section className="panel wide ward" aria-labelledby="ward-title">
        {database === 'unreachable' ? <OfflineWard /> : <OnlineWard />}
      </section>
    </WardContext.Provider>
  );
}

function OnlineWard() {
  const view = useWard((s) => s.view);
  const chart = useWard((s) => s.chart);
  const departmentId = useWard((s) => s.departmentId);
  const board = useQuery(wardQueries.bedBoard(departmentId));
  return (
    <>
      <WardHeader departmentName={board.data?.departmentName} />
      <WardKeys beds={board.data?.beds ?? []} />
      <FormError error={board.error} />
      {chart !== null ? (
        <ChartView beds={board.data?.beds ?? []} />
      ) : view === 'census' ? (
        <CensusViewConnected />
      ) : view === 'round' ? (
        <MedicationRound board={board.data ?? null} />
      ) : view === 'handover' ? (
        <HandoverView />
      ) : (
        board.data && <BoardView />
      )}
      <BedDialogs />
    </>
  );
}

function WardHeader({ departmentName }: { departmentName: string | undefined }) {
  const view = useWard((s) => s.view);
  const help = useWard((s) => s.help);
  const notice = useWard((s) => s.notice);
  const set = useWard((s) => s.set);
  const anyWard = useCan('users.manage');
  const departmentId = useWard((s) => s.departmentId);
  const census = useQuery({ ...wardQueries.census(), enabled: anyWard });
  return (
    <>
      <header className="screen-header no-print">
        <h1 id="ward-title">Ward{departmentName ? ` — ${departmentName}` : ''}</h1>
        {anyWard && census.data && (
          <label className="ward-picker">
            Ward{' '}
            <select
              value={departmentId ?? ''}
              onChange={(e) => set({ departmentId: e.target.value ? Number(e.target.value) : undefined, activeBed: null })}
            >
              <option value="">My department</option>
              {census.data.map(
                (d) =>
                  d.departmentId !== null && (
                    <option key={d.departmentId} value={d.departmentId}>
                      {d.departmentName}
                    </option>
                  ),
              )}
            </select>
          </label>
        )}
        <nav aria-label="Ward views" className="row-actions">
          {VIEWS.map((v) => (
            <button key={v.id} type="button" aria-pressed={view === v.id} onClick={() => set({ view: v.id, chart: null, notice: null })}>
              {v.label} <ShortcutHint keys={v.key} />
            </button>
          ))}
          <button type="button" onClick={() => set((s) => ({ help: !s.help }))} aria-expanded={help}>
            Shortcuts <ShortcutHint keys="Alt+H" />
          </button>
        </nav>
      </header>
      {help && <ShortcutTable shortcuts={WARD_SHORTCUTS} className="no-print" />}
      <Notice className="no-print">{notice}</Notice>
    </>
  );
}

/** The bed under the cursor, on the board the screen shows. */
function useActiveBed(beds: Bed[]): Bed | undefined {
  const activeBed = useWard((s) => s.activeBed);
  return bedAt(beds, activeBed) ?? beds[0];
}

/** Alt shortcuts of the screen (listed in WARD_SHORTCUTS); plain keys stay free for the scanner. */
function WardKeys({ beds }: { beds: Bed[] }) {
  const set = useWard((s) => s.set);
  const chart = useWard((s) => s.chart);
  const onBoard = useWard((s) => s.view === 'board' && s.activeBed !== null);
  const focus = useWardFocus();
  const canAssign = useCan('rooms.assign');
  const bed = useActiveBed(beds);
  const cleaning = useCompleteCleaning();
  const showView = (view: WardView) => set({ view, chart: null, dialog: null, notice: null });
  const onBed = (state: Bed['state'], dialog: 'admit' | 'transfer' | 'discharge') => () => {
    if (!bed || bed.state !== state || !canAssign) return;
    set({ dialog });
  };
  useAltShortcuts({
    b: () => {
      showView('board');
      setTimeout(() => focus.board.current?.querySelector<HTMLElement>('[tabindex="0"]')?.focus());
    },
    c: () => showView('census'),
    m: () => showView('round'),
    o: () => showView('handover'),
    h: () => set((s) => ({ help: !s.help })),
    a: onBed('free', 'admit'),
    t: onBed('occupied', 'transfer'),
    d: onBed('occupied', 'discharge'),
    w: () => {
      const patientId = chart ?? (bed?.state === 'occupied' ? bed.patient?.patientId : undefined);
      if (patientId !== undefined) set({ dialog: 'wristband', wristbandFor: patientId });
    },
    // Only for a bed the nurse chose on the board (the other views have no bed under the cursor).
    k: () => onBoard && bed && chart === null && canAssign && set({ dialog: 'clean' }),
    l: () => {
      if (!bed || bed.state !== 'to-clean' || bed.cleaningId === null || !canAssign) return;
      mutateThen(
        cleaning,
        { cleaningId: bed.cleaningId },
        {
          onSuccess: () => set({ notice: `Bed ${bed.roomNumber}/${bed.bedNumber} is clean and free.` }),
          onError: (e) => set({ notice: e.message }),
        },
      );
    },
  });
  return null;
}

function BoardView() {
  const departmentId = useWard((s) => s.departmentId);
  const board = useQuery(wardQueries.bedBoard(departmentId));
  const set = useWard((s) => s.set);
  const canAssign = useCan('rooms.assign');
  const bed = useActiveBed(board.data?.beds ?? []);
  if (!board.data) return null;
  return (
    <div className="board-layout">
      <BedBoardGrid
        board={board.data}
        onEnter={(b) => {
          if (b.patient) set({ chart: b.patient.patientId, activeBed: bedKey(b), notice: null });
          else if (b.state === 'free' && canAssign) set({ dialog: 'admit', activeBed: bedKey(b) });
        }}
      />
      {bed && <BedActions bed={bed} />}
    </div>
  );
}

function CensusViewConnected() {
  const set = useWard((s) => s.set);
  return <CensusView onOpen={(departmentId) => set({ departmentId, view: 'board', activeBed: null })} />;
}

function ChartView({ beds }: { beds: Bed[] }) {
  const chart = useWard((s) => s.chart)!;
  const set = useWard((s) => s.set);
  const focus = useWardFocus();
  const bed = beds.find((b) => b.patient?.patientId === chart) ?? null;
  const back = () => {
    set({ chart: null, view: 'board' });
    setTimeout(() => focus.board.current?.querySelector<HTMLElement>('[tabindex="0"]')?.focus());
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented && !document.querySelector('.ward-dialog')) back();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  return <PatientChart patientId={chart} bed={bed} onBack={back} onWristband={() => set({ dialog: 'wristband', wristbandFor: chart })} />;
}

function BedDialogs() {
  const dialog = useWard((s) => s.dialog);
  const departmentId = useWard((s) => s.departmentId);
  const set = useWard((s) => s.set);
  const board = useQuery(wardQueries.bedBoard(departmentId));
  const dialogBed = useWard((s) => s.dialogBed);
  const wristbandFor = useWard((s) => s.wristbandFor);
  const beds = board.data?.beds ?? [];
  // A pinned bed no longer on the board opens nothing.
  const bed = bedAt(beds, dialogBed);
  if (!dialog || !board.data) return null;
  const close = () => set({ dialog: null });
  const done = (notice: string) => set({ dialog: null, notice });
  if (dialog === 'wristband') return wristbandFor !== null ? <WristbandDialog patientId={wristbandFor} onClose={close} /> : null;
  if (!bed) return null;
  if (dialog === 'admit') return <AdmitDialog key={bedKey(bed)} bed={bed} board={board.data} onDone={done} onClose={close} />;
  if (dialog === 'transfer' && bed.patient)
    return <TransferDialog key={bedKey(bed)} bed={bed} board={board.data} onDone={done} onClose={close} />;
  if (dialog === 'discharge' && bed.patient) return <DischargeDialog key={bedKey(bed)} bed={bed} onDone={done} onClose={close} />;
  if (dialog === 'clean') return <CleanRequestDialog key={bedKey(bed)} bed={bed} onDone={done} onClose={close} />;
  return null;
}
