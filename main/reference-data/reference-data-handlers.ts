import type { referenceDataChannels } from '../../contract/reference-data.js';
import { inTransaction, reading, type HandlersFor } from '../ipc/handler-types.js';
import {
  listPeople,
  listPlaces,
  saveDepartment,
  saveDoctor,
  saveRoom,
  saveRoomType,
  saveStaff,
  setDoctorHours,
} from './reference-service.js';

export const referenceDataHandlers = {
  'reference/list-places': reading<'reference/list-places'>((trx) => listPlaces(trx)),
  'reference/save-department': inTransaction<'reference/save-department'>((trx, d) => saveDepartment(trx, d)),
  'reference/save-room-type': inTransaction<'reference/save-room-type'>((trx, t) => saveRoomType(trx, t)),
  'reference/save-room': inTransaction<'reference/save-room'>((trx, r) => saveRoom(trx, r)),
  'reference/list-people': reading<'reference/list-people'>((trx) => listPeople(trx)),
  'reference/save-staff': inTransaction<'reference/save-staff'>((trx, s) => saveStaff(trx, s)),
  'reference/save-doctor': inTransaction<'reference/save-doctor'>((trx, d) => saveDoctor(trx, d)),
  'reference/set-doctor-hours': inTransaction<'reference/set-doctor-hours'>((trx, { doctorId, hours }) =>
    setDoctorHours(trx, doctorId, hours),
  ),
} satisfies HandlersFor<typeof referenceDataChannels>;
