import { actingUserId, inTransaction, reading } from '../ipc/handler-types.js';
import { listDoctors } from './appointments.repository.js';
import {
  bookAppointment,
  cancelAppointment,
  getBook,
  listPatientAppointments,
  rescheduleAppointment,
  setAppointmentStatus,
} from './scheduling-service.js';
import { localNow } from '../shared/clinic-time.js';

export const bookHandlers = {
  'scheduling/list-doctors': reading<'scheduling/list-doctors'>((trx, { departmentId }) => listDoctors(trx, departmentId)),
  'scheduling/get-book': reading<'scheduling/get-book'>((trx, { doctorIds, from, days }) => getBook(trx, doctorIds, from, days)),
  'scheduling/list-patient-appointments': reading<'scheduling/list-patient-appointments'>((trx, { patientId }, ctx) =>
    listPatientAppointments(trx, patientId, localNow(ctx.now()).date),
  ),
  'scheduling/book-appointment': inTransaction<'scheduling/book-appointment'>((trx, input, ctx) =>
    bookAppointment(trx, input, actingUserId(ctx), ctx.now()),
  ),
  'scheduling/reschedule-appointment': inTransaction<'scheduling/reschedule-appointment'>((trx, { appointmentId, slot }, ctx) =>
    rescheduleAppointment(trx, appointmentId, slot, ctx.now()),
  ),
  'scheduling/cancel-appointment': inTransaction<'scheduling/cancel-appointment'>((trx, { appointmentId, reason }) =>
    cancelAppointment(trx, appointmentId, reason),
  ),
  'scheduling/set-appointment-status': inTransaction<'scheduling/set-appointment-status'>((trx, { appointmentId, status }) =>
    setAppointmentStatus(trx, appointmentId, status),
  ),
};
