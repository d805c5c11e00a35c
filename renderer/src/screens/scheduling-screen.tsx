import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClinicError } from '../../../contract/errors.js';
import type { Appointment, BookDay, Doctor, PatientSearchResult } from '../../../contract/schemas.js';
import { call } from '../clinic-client.js';
import { AppointmentPanel } from '../scheduling/appointment-panel.js';
import { BookingPanel } from '../scheduling/booking-panel.js';
import { longDate, mondayOf, shiftDate, todayIso } from '../scheduling/dates.js';
import { BookView } from '../scheduling/book-view.js';
import { departmentsOf } from '../scheduling/departments.js';
import { PatientSearch } from '../scheduling/patient-search.js';
import { PickedPatient } from '../scheduling/picked-patient.js';
import { RegisterPatientForm } from '../scheduling/register-patient-form.js';
import { SCHEDULING_SHORTCUTS, useAltShortcuts } from '../scheduling/scheduling-keys.js';
import { useSession } from '../stores/session-store.js';

const SAVED_HERE = ' Saved on this terminal; it is sent to the hospital database when it is back.';

/** The appointment book: find the patient, pick the doctor and day, move through slots, confirm. */
export function SchedulingScreen() {
  const canBook = useSession((s) => s.session?.user.permissions.includes('appointments.write') ?? false);
  const canRegister = useSession((s) => s.session?.user.permissions.includes('patients.write') ?? false);
  // The book follows the database's state and this terminal's waiting changes (offline, replayed).
  const database = useSession((s) => s.status?.database);
  const waiting = useSession((s) => s.status?.waitingChanges ?? 0);
  const [registering, setRegistering] = useState(false);
  const [bookError, setBookError] = useState<string | null>(null);
  const [doctors, setDoctors] = useState<Doctor[]>([]);
  // What the book shows: one doctor ('doctor:ID') or every doctor of a department ('department:ID').
  const [scope, setScope] = useState<string | null>(null);
  const [date, setDate] = useState(todayIso());
  const [view, setView] = useState<'day' | 'week'>('day');
  const [book, setBook] = useState<BookDay[]>([]);
  const [patient, setPatient] = useState<PatientSearchResult | null>(null);
  const [upcoming, setUpcoming] = useState<Appointment[]>([]);
  const [booking, setBooking] = useState<{ doctor: Doctor; date: string; time: string; error: ClinicError | null } | null>(null);
  const [opened, setOpened] = useState<Appointment | null>(null);
  const [moving, setMoving] = useState<Appointment | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const doctorRef = useRef<HTMLSelectElement>(null);
  const slotsRef = useRef<HTMLUListElement>(null);
  const [scopeKind, scopeId] = (scope ?? ':').split(':');
  // A department shows at most 20 doctors side by side (the book's own limit per request).
  const shown = doctors.filter((d) => (scopeKind === 'doctor' ? d.doctorId === Number(scopeId) : d.departmentId === Number(scopeId))).slice(0, 20);
  const departments = departmentsOf(doctors);
  const shownKey = shown.map((d) => d.doctorId).join(',');

  useEffect(() => {
    void call('scheduling/list-doctors', {}).then((r) => {
      if (!r.ok) return;
      setDoctors(r.value);
      setScope((current) => current ?? (r.value[0] ? `doctor:${r.value[0].doctorId}` : null));
    });
  }, [database]);

  const latestBook = useRef(0);
  const reload = useCallback(async () => {
    if (shownKey === '') return;
    const ticket = ++latestBook.current;
    const from = view === 'week' ? mondayOf(date) : date;
    const result = await call('scheduling/get-book', { doctorIds: shownKey.split(',').map(Number), from, days: view === 'week' ? 7 : 1 });
    // Paging quickly through days sends several requests; only the newest may fill the book.
    if (ticket !== latestBook.current) return;
    setBook(result.ok ? result.value : []);
    setBookError(result.ok ? null : result.error.message);
  }, [shownKey, date, view]);
  useEffect(() => {
    void reload();
  }, [reload, database, waiting]);

  const reloadUpcoming = useCallback(async (patientId: number) => {
    const result = await call('scheduling/list-patient-appointments', { patientId });
    setUpcoming(result.ok ? result.value : []);
  }, []);

  // Once what waited here has been sent, a walk-in's temporary number means nothing any more.
  const pickedId = patient?.patientId ?? null;
  useEffect(() => {
    if (pickedId === null) return;
    if (pickedId < 0 && database === 'connected' && waiting === 0) {
      setPatient(null);
      setUpcoming([]);
      setNotice('What was saved on this terminal has been sent. Find the walk-in again by name (Alt+P); anything that clashed is under Needs attention.');
    } else void reloadUpcoming(pickedId);
  }, [pickedId, database, waiting, reloadUpcoming]);

  const step = view === 'week' ? 7 : 1;
  useAltShortcuts({
    p: () => searchRef.current?.focus(),
    n: () => canRegister && setRegistering(true),
    d: () => doctorRef.current?.focus(),
    s: () => slotsRef.current?.focus(),
    w: () => setView((v) => (v === 'day' ? 'week' : 'day')),
    h: () => setHelp((h) => !h),
    t: () => setDate(todayIso()),
    PageUp: () => setDate((d) => shiftDate(d, -step)),
    PageDown: () => setDate((d) => shiftDate(d, step)),
  });

  function pickPatient(picked: PatientSearchResult) {
    setPatient(picked);
    setNotice(null);
    slotsRef.current?.focus();
  }

  async function confirmBooking(slot: { date: string; time: string }, purpose: string) {
    if (!patient || !booking) return;
    const doctorId = booking.doctor.doctorId;
    const result = moving
      ? await call('scheduling/reschedule-appointment', { appointmentId: moving.appointmentId, slot })
      : await call('scheduling/book-appointment', { patientId: patient.patientId, doctorId, slot, purpose: purpose.trim() || null });
    if (!result.ok) {
      setBooking({ ...booking, ...slot, error: result.error });
      void reload();
      return;
    }
    setNotice(`${moving ? 'Moved' : 'Booked'}: ${result.value.patientName} with ${result.value.doctorName}, ${longDate(result.value.date)} at ${result.value.time}.${result.value.queued ? SAVED_HERE : ''}`);
    setBooking(null);
    setMoving(null);
    setDate(result.value.date);
    await reload();
    void reloadUpcoming(result.value.patientId);
    slotsRef.current?.focus();
  }

  async function act(request: Promise<{ ok: true; value: Appointment } | { ok: false; error: ClinicError }>, done: string) {
    const result = await request;
    setNotice(result.ok ? `${done}${result.value.queued ? SAVED_HERE : ''}` : result.error.message);
    setOpened(null);
    await reload();
    if (patient) void reloadUpcoming(patient.patientId);
    slotsRef.current?.focus();
  }


  return (
    <section className="panel wide scheduling" aria-labelledby="scheduling-title">
      <header className="screen-header no-print">
        <h1 id="scheduling-title">Scheduling</h1>
        <span className="row-actions">
          <button type="button" onClick={() => window.print()}>Print day list</button>
          <button type="button" onClick={() => setHelp((h) => !h)} aria-expanded={help}>Shortcuts (Alt+H)</button>
        </span>
      </header>
      {help && (
        <table className="data-table shortcuts no-print" aria-label="Keyboard shortcuts">
          <tbody>
            {SCHEDULING_SHORTCUTS.map(([keys, what]) => (
              <tr key={keys}>
                <th scope="row"><kbd>{keys}</kbd></th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {notice && <p className="form-ok no-print" role="status">{notice}</p>}
      <div className="scheduling-grid">
        <aside className="no-print">
          <PatientSearch onPick={pickPatient} inputRef={searchRef} />
          {canRegister && (
            <button type="button" className="new-patient" onClick={() => setRegistering(true)}>
              New patient <kbd>Alt+N</kbd>
            </button>
          )}
          {patient && <PickedPatient patient={patient} upcoming={upcoming} />}
        </aside>
        <div className="book">
          <div className="book-controls no-print">
            <label htmlFor="doctor-select">
              Book of <kbd>Alt+D</kbd>
            </label>
            <select id="doctor-select" ref={doctorRef} value={scope ?? ''} onChange={(e) => setScope(e.target.value)}>
              {departments.map(([id, name]) => (
                <optgroup key={id} label={name}>
                  <option value={`department:${id}`}>All doctors of {name}</option>
                  {doctors.filter((d) => d.departmentId === id).map((d) => (
                    <option key={d.doctorId} value={`doctor:${d.doctorId}`}>
                      {d.name} — {d.specialization ?? name}
                    </option>
                  ))}
                </optgroup>
              ))}
              {doctors.filter((d) => d.departmentId === null).map((d) => (
                <option key={d.doctorId} value={`doctor:${d.doctorId}`}>{d.name}</option>
              ))}
            </select>
            <label htmlFor="book-date">Date</label>
            <input id="book-date" type="date" value={date} onChange={(e) => e.target.value && setDate(e.target.value)} />
            <span className="row-actions" role="group" aria-label="View">
              <button type="button" aria-pressed={view === 'day'} onClick={() => setView('day')}>Day</button>
              <button type="button" aria-pressed={view === 'week'} onClick={() => setView('week')}>Week</button>
            </span>
          </div>
          <h2 className="day-heading">
            {scopeKind === 'department' ? `All doctors of ${departments.find(([id]) => id === Number(scopeId))?.[1] ?? 'the department'}` : (shown[0]?.name ?? 'No doctor')} · {view === 'week' ? `week of ${longDate(mondayOf(date))}` : longDate(date)}
          </h2>
          {moving && <p className="notice notice-code no-print">Moving {moving.patientName}'s {moving.time} appointment: choose a free slot. <button type="button" className="link-button" onClick={() => setMoving(null)}>Stop moving</button></p>}
          {bookError && <p className="notice notice-code" role="alert">{bookError}</p>}
          <BookView
            doctors={shown}
            book={book}
            date={date}
            view={view}
            slotsRef={slotsRef}
            onOpenDay={(d) => {
              setDate(d);
              setView('day');
            }}
            onBook={(doctor, time) => {
              if (!canBook) return setNotice('Your role can look at the book but not book.');
              if (!patient) {
                setNotice('Find and choose the patient first (Alt+P).');
                return searchRef.current?.focus();
              }
              if (moving && moving.doctorId !== doctor.doctorId) return setNotice(`${moving.patientName}'s appointment can only move within ${moving.doctorName}'s book.`);
              setBooking({ doctor, date, time, error: null });
            }}
            onAppointment={(a) => canBook && setOpened(a)}
          />
        </div>
      </div>
      {booking && patient && (
        <BookingPanel
          key={`${booking.date} ${booking.time}`}
          patient={moving ? { ...patient, patientId: moving.patientId } : patient}
          doctorName={booking.doctor.name}
          date={booking.date}
          time={booking.time}
          error={booking.error}
          onConfirm={(purpose) => void confirmBooking({ date: booking.date, time: booking.time }, purpose)}
          onCancel={() => {
            setBooking(null);
            slotsRef.current?.focus();
          }}
          onPickAlternative={(slot) => {
            setDate(slot.date);
            setBooking({ ...booking, ...slot, error: null });
          }}
        />
      )}
      {registering && (
        <RegisterPatientForm
          onClose={() => {
            setRegistering(false);
            searchRef.current?.focus();
          }}
          onRegistered={(registered, queued) => {
            setRegistering(false);
            pickPatient(registered);
            setNotice(`${registered.lastName}, ${registered.firstName} ${queued ? 'registered.' + SAVED_HERE : 'chosen.'} Now choose a slot (Alt+S).`);
          }}
        />
      )}
      {opened && (
        <AppointmentPanel
          appointment={opened}
          onClose={() => {
            setOpened(null);
            slotsRef.current?.focus();
          }}
          onStatus={(status) => void act(call('scheduling/set-appointment-status', { appointmentId: opened.appointmentId, status }), `${opened.patientName}: ${status === 'CheckedIn' ? 'checked in' : status === 'NoShow' ? 'marked as no-show' : 'completed'}.`)}
          onCancel={(reason) => void act(call('scheduling/cancel-appointment', { appointmentId: opened.appointmentId, reason }), `${opened.patientName}'s appointment at ${opened.time} was cancelled.`)}
          onReschedule={() => {
            setMoving(opened);
            setPatient((p) => p ?? { patientId: opened.patientId, firstName: opened.patientName.split(', ')[1] ?? '', lastName: opened.patientName.split(', ')[0] ?? '', dateOfBirth: opened.patientDateOfBirth, gender: null, contactNumber: null, email: null, departmentId: null, address: null, match: 'exact' });
            setOpened(null);
            slotsRef.current?.focus();
          }}
        />
      )}
    </section>
  );
}
