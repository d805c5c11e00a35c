import { useCan } from '../session/index.js';
import { useAltShortcuts } from '../ui/alt-shortcuts.js';
import { Notice } from '../ui/notice.js';
import { ShortcutHint, ShortcutTable } from '../ui/shortcut-hint.js';
import { AppointmentBook } from './appointment-book.js';
import { AppointmentDialog, BookingDialog, SAVED_HERE } from './booking-dialog.js';
import { shiftDate, todayIso } from './dates.js';
import { PatientSearch } from './patient-search.js';
import { PickedPatient } from './picked-patient.js';
import { RegisterPatientForm } from './register-patient-form.js';
import { SCHEDULING_SHORTCUTS } from './scheduling-shortcuts.js';
import { SchedulingContext, useFocusTargets, useNewSchedulingContext, useScheduling } from './scheduling-store.js';

/** The appointment book: find the patient, pick the doctor and day, move through slots, confirm. */
export function SchedulingScreen() {
  const context = useNewSchedulingContext();
  return (
    <SchedulingContext.Provider value={context}>
      <section className="panel wide scheduling" aria-labelledby="scheduling-title">
        <SchedulingHeader />
        <SchedulingKeys />
        <div className="scheduling-grid">
          <PatientColumn />
          <AppointmentBook />
        </div>
        <BookingDialog />
        <RegisterDialog />
        <AppointmentDialog />
      </section>
    </SchedulingContext.Provider>
  );
}

function SchedulingHeader() {
  const help = useScheduling((s) => s.help);
  const notice = useScheduling((s) => s.notice);
  const set = useScheduling((s) => s.set);
  return (
    <>
      <header className="screen-header no-print">
        <h1 id="scheduling-title">Scheduling</h1>
        <span className="row-actions">
          <button type="button" onClick={() => window.print()}>
            Print day list
          </button>
          <button type="button" onClick={() => set((s) => ({ help: !s.help }))} aria-expanded={help}>
            Shortcuts (Alt+H)
          </button>
        </span>
      </header>
      {help && <ShortcutTable shortcuts={SCHEDULING_SHORTCUTS} className="no-print" />}
      <Notice className="no-print">{notice}</Notice>
    </>
  );
}

/** The screen's Alt shortcuts (listed in SCHEDULING_SHORTCUTS). */
function SchedulingKeys() {
  const canRegister = useCan('patients.write');
  const set = useScheduling((s) => s.set);
  const focus = useFocusTargets();
  const step = (s: { view: 'day' | 'week' }) => (s.view === 'week' ? 7 : 1);
  useAltShortcuts({
    p: () => focus.search.current?.focus(),
    n: () => canRegister && set({ registering: true }),
    d: () => focus.doctor.current?.focus(),
    s: () => focus.slots.current?.focus(),
    w: () => set((s) => ({ view: s.view === 'day' ? 'week' : 'day' })),
    h: () => set((s) => ({ help: !s.help })),
    t: () => set({ date: todayIso() }),
    PageUp: () => set((s) => ({ date: shiftDate(s.date, -step(s)) })),
    PageDown: () => set((s) => ({ date: shiftDate(s.date, step(s)) })),
  });
  return null;
}

/** Finding and choosing the patient; registering a walk-in. */
function PatientColumn() {
  const canRegister = useCan('patients.write');
  const patient = useScheduling((s) => s.patient);
  const pickPatient = useScheduling((s) => s.pickPatient);
  const set = useScheduling((s) => s.set);
  const focus = useFocusTargets();
  return (
    <aside className="no-print">
      <PatientSearch
        inputRef={focus.search}
        onPick={(picked) => {
          pickPatient(picked);
          focus.slots.current?.focus();
        }}
      />
      {canRegister && (
        <button type="button" className="new-patient" onClick={() => set({ registering: true })}>
          New patient <ShortcutHint keys="Alt+N" />
        </button>
      )}
      {patient && <PickedPatient key={patient.patientId} patient={patient} />}
    </aside>
  );
}

function RegisterDialog() {
  const registering = useScheduling((s) => s.registering);
  const pickPatient = useScheduling((s) => s.pickPatient);
  const set = useScheduling((s) => s.set);
  const focus = useFocusTargets();
  if (!registering) return null;
  return (
    <RegisterPatientForm
      onClose={() => {
        set({ registering: false });
        focus.search.current?.focus();
      }}
      onRegistered={(registered, queued) => {
        pickPatient(registered);
        set({
          registering: false,
          notice: `${registered.lastName}, ${registered.firstName} ${queued ? 'registered.' + SAVED_HERE : 'chosen.'} Now choose a slot (Alt+S).`,
        });
        focus.slots.current?.focus();
      }}
      onRegisteredAfterClose={(registered, queued) =>
        set({
          notice: `${registered.lastName}, ${registered.firstName} registered${queued ? '.' + SAVED_HERE : '.'} Search for them to book.`,
        })
      }
    />
  );
}
