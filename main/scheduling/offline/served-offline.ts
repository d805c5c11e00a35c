import type { ChannelKey, ChannelOutput, ParsedInput } from '../../../contract/index.js';
import type { SessionUser, Slot } from '../../../contract/index.js';
import { bookingConflict, failure } from '../../shared/failure.js';
import type { HandlerContext } from '../../ipc/handler-types.js';
import { checkBirthDate, duplicateKeys, summaryOf } from '../../patients/index.js';
import {
  addDays,
  assembleBook,
  checkCanCancel,
  checkCanMove,
  checkSlot,
  checkStatusChange,
  describeClash,
  holderAt,
  minutesOf,
} from '../booking-rules.js';
import { localNow } from '../../shared/clinic-time.js';
import type { LocalView } from './local-view.js';
import type { OutboxEntry } from './outbox.js';
import { OFFLINE_CHANNELS } from './replay-types.js';
import { searchWorkingSet } from './working-set.js';

/** The channels a terminal answers from its working set and outbox while the database is away. */
export const OFFLINE_SERVED = [
  'session/sign-in',
  'session/unlock-screen',
  'patients/search-patients',
  'patients/get-patient',
  'scheduling/list-doctors',
  'scheduling/get-book',
  'scheduling/list-patient-appointments',
  // …and every change replay accepts.
  ...OFFLINE_CHANNELS,
] as const satisfies readonly ChannelKey[];
export type OfflineServed = (typeof OFFLINE_SERVED)[number];
export const isOfflineServed = (channel: string): channel is OfflineServed => (OFFLINE_SERVED as readonly string[]).includes(channel);

export type OfflineHandlerMap = {
  [C in OfflineServed]: (input: ParsedInput<C>, ctx: HandlerContext) => Promise<ChannelOutput<C>> | ChannelOutput<C>;
};

/** What the offline handlers need from the desk: the view, the durable outbox, offline sign-in. */
export interface OfflineStore {
  /**
   * The book as this request's user may see it offline: the working set only if the server showed
   * them all of it online, else none of it — with their own waiting changes laid over either way.
   */
  view(ctx: HandlerContext): LocalView;
  /** Writes and fsyncs the change; only then may the clerk be told it is saved. */
  append(entry: Omit<OutboxEntry, 'key' | 'createdAt' | 'userId' | 'userName'>, ctx: HandlerContext): OutboxEntry;
  nextProvisionalId(kind: 'patient' | 'appointment'): number;
  signIn(email: string, password: string): Promise<SessionUser | null>;
  /** Until when offline sign-in is locked for this email after wrong passwords. */
  lockedUntil(email: string): Date | null;
  idleMinutes(): number;
}

const OFFLINE_SIGN_IN =
  'The hospital database cannot be reached. Offline, you can sign in only with the password you last used on this terminal, within the last 7 days.';

export function createOfflineHandlers(store: OfflineStore): OfflineHandlerMap {
  return { ...sessionHandlers(store), ...dataHandlers(store) };
}

function sessionHandlers(store: OfflineStore): Pick<OfflineHandlerMap, 'session/sign-in' | 'session/unlock-screen'> {
  return {
    'session/sign-in': async ({ email, password }, ctx) => {
      const user = await store.signIn(email, password);
      const locked = user ? null : store.lockedUntil(email);
      if (locked)
        throw failure(
          'Unauthorized',
          `Too many wrong passwords on this terminal. Offline sign-in for this account opens again at ${locked.toTimeString().slice(0, 5)}, or as soon as the database is back.`,
        );
      if (!user) throw failure('Unauthorized', OFFLINE_SIGN_IN);
      const session = ctx.sessions.start(ctx.senderId, user, { idleMinutes: store.idleMinutes(), maxHours: 12 });
      return ctx.sessions.view(session);
    },
    'session/unlock-screen': async ({ password }, ctx) => {
      const session = ctx.session ?? ctx.sessions.get(ctx.senderId);
      if (!session) throw failure('Unauthorized', 'Please sign in first.');
      const user = await store.signIn(session.user.email, password);
      if (!user && store.lockedUntil(session.user.email))
        throw failure('Unauthorized', 'Too many wrong passwords on this terminal. Sign out, or wait for the database.');
      if (!user || user.userId !== session.user.userId) throw failure('Unauthorized', 'That password is not right.');
      ctx.sessions.unlock(ctx.senderId);
      return ctx.sessions.view(session);
    },
  };
}

function dataHandlers(store: OfflineStore): Omit<OfflineHandlerMap, 'session/sign-in' | 'session/unlock-screen'> {
  const today = (ctx: HandlerContext) => localNow(ctx.now()).date;

  const patientOf = (view: LocalView, patientId: number) => {
    const patient = view.patients.find((p) => p.patientId === patientId);
    if (!patient) throw failure('NotFound', 'This patient is not among those this terminal keeps for offline work.');
    return patient;
  };
  const doctorOf = (view: LocalView, doctorId: number) => {
    const doctor = view.doctors.find((d) => d.doctorId === doctorId);
    if (!doctor) throw failure('NotFound', 'This doctor is not in the book this terminal keeps offline.');
    return doctor;
  };
  const appointmentOf = (view: LocalView, appointmentId: number) => {
    const appointment = view.appointments.find((a) => a.appointmentId === appointmentId);
    if (!appointment) throw failure('NotFound', 'This appointment is not in the book this terminal keeps offline.');
    return appointment;
  };
  const inWindow = (view: LocalView, date: string) => date >= view.from && date <= addDays(view.from, view.days - 1);

  /** The same two rules as the exclusion constraints, over what this terminal knows. */
  function checkFree(view: LocalView, doctorId: number, patientId: number, slot: Slot, ctx: HandlerContext, moving?: number): void {
    const doctor = doctorOf(view, doctorId);
    checkSlot(doctor, slot, ctx.now());
    if (!inWindow(view, slot.date))
      throw failure('Unavailable', `Offline, this terminal can book only from ${view.from} to ${addDays(view.from, view.days - 1)}.`);
    const start = minutesOf(slot.time);
    const doctorAppointments = view.appointments.filter((a) => a.doctorId === doctorId);
    const patientAppointments = view.appointments.filter((a) => a.patientId === patientId);
    const patientClash = holderAt(patientAppointments, slot.date, start, doctor.slotMinutes, moving);
    if (!patientClash && !holderAt(doctorAppointments, slot.date, start, doctor.slotMinutes, moving)) return;
    const clash = describeClash({
      kind: patientClash ? 'patient' : 'doctor',
      doctor,
      slot,
      doctorAppointments,
      patientAppointments,
      now: ctx.now(),
      ignoring: moving,
    });
    throw bookingConflict(
      clash.message,
      clash.nextFreeSlots.filter((s) => inWindow(view, s.date)),
    );
  }

  /** The local copy of an appointment after a queued change to it. */
  const queuedAppointment = (ctx: HandlerContext, appointmentId: number) => appointmentOf(store.view(ctx), appointmentId);
  const fromProvisional = (id: number, key: 'patientFrom' | 'appointmentFrom', view: LocalView): Partial<OutboxEntry> => {
    if (id > 0) return {};
    const origin = key === 'patientFrom' ? view.originOfPatient.get(id) : view.originOfAppointment.get(id);
    if (!origin) throw failure('NotFound', 'This walk-in or booking is no longer waiting on this terminal.');
    return { [key]: origin, dependsOn: [origin] };
  };

  return {
    'patients/search-patients': ({ query, limit }, ctx) => searchWorkingSet(store.view(ctx), query, limit),
    'patients/get-patient': ({ patientId }, ctx) => summaryOf(patientOf(store.view(ctx), patientId)),
    'patients/register-patient': (input, ctx) => {
      checkBirthDate(input.dateOfBirth, today(ctx));
      const view = store.view(ctx);
      if (!input.confirmNotDuplicate) {
        const keys = new Set(duplicateKeys(input));
        const candidates = view.patients.filter((p) => duplicateKeys(p).some((k) => keys.has(k)));
        if (candidates.length > 0) return { status: 'possible-duplicates' as const, candidates: candidates.slice(0, 10) };
      }
      // Sent with the duplicate check still on: the server knows patients this terminal does not.
      const provisionalId = store.nextProvisionalId('patient');
      store.append(
        { channel: 'patients/register-patient', input: { ...input, confirmNotDuplicate: false }, dependsOn: [], provisionalId },
        ctx,
      );
      return { status: 'registered' as const, patient: summaryOf(patientOf(store.view(ctx), provisionalId)) };
    },
    'scheduling/list-doctors': ({ departmentId }, ctx) =>
      store
        .view(ctx)
        .doctors.filter((d) => departmentId === undefined || d.departmentId === departmentId)
        .map(({ hours: _hours, ...doctor }) => doctor),
    'scheduling/get-book': ({ doctorIds, from, days }, ctx) => {
      const view = store.view(ctx);
      if (!inWindow(view, from))
        throw failure('Unavailable', `Offline, this terminal has the book from ${view.from} to ${addDays(view.from, view.days - 1)}.`);
      return assembleBook(
        view.doctors.filter((d) => doctorIds.includes(d.doctorId)),
        view.appointments,
        from,
        days,
      );
    },
    'scheduling/list-patient-appointments': ({ patientId }, ctx) =>
      store
        .view(ctx)
        .appointments.filter((a) => a.patientId === patientId && a.date >= today(ctx))
        .sort((a, b) => a.date.localeCompare(b.date) || a.time.localeCompare(b.time)),
    'scheduling/book-appointment': (input, ctx) => {
      const view = store.view(ctx);
      patientOf(view, input.patientId);
      checkFree(view, input.doctorId, input.patientId, input.slot, ctx);
      const provisionalId = store.nextProvisionalId('appointment');
      store.append(
        {
          channel: 'scheduling/book-appointment',
          input,
          dependsOn: [],
          provisionalId,
          ...fromProvisional(input.patientId, 'patientFrom', view),
        },
        ctx,
      );
      return queuedAppointment(ctx, provisionalId);
    },
    'scheduling/reschedule-appointment': (input, ctx) => {
      const view = store.view(ctx);
      const current = appointmentOf(view, input.appointmentId);
      checkCanMove(current);
      checkFree(view, current.doctorId, current.patientId, input.slot, ctx, current.appointmentId);
      store.append(
        {
          channel: 'scheduling/reschedule-appointment',
          input,
          dependsOn: [],
          ...fromProvisional(input.appointmentId, 'appointmentFrom', view),
        },
        ctx,
      );
      return queuedAppointment(ctx, input.appointmentId);
    },
    'scheduling/cancel-appointment': (input, ctx) => {
      const view = store.view(ctx);
      const current = appointmentOf(view, input.appointmentId);
      checkCanCancel(current);
      store.append(
        {
          channel: 'scheduling/cancel-appointment',
          input,
          dependsOn: [],
          ...fromProvisional(input.appointmentId, 'appointmentFrom', view),
        },
        ctx,
      );
      return queuedAppointment(ctx, input.appointmentId);
    },
    'scheduling/set-appointment-status': (input, ctx) => {
      const view = store.view(ctx);
      const current = appointmentOf(view, input.appointmentId);
      checkStatusChange(current, input.status);
      store.append(
        {
          channel: 'scheduling/set-appointment-status',
          input,
          dependsOn: [],
          ...fromProvisional(input.appointmentId, 'appointmentFrom', view),
        },
        ctx,
      );
      return queuedAppointment(ctx, input.appointmentId);
    },
  };
}
