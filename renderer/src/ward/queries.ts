import { queryOptions } from '@tanstack/react-query';
import { channelQuery, READ_ON_REQUEST } from '../client/channel-query.js';

/** The ward's reads. */
export const wardQueries = {
  /**
   * A chart with its history: every read is audited, so it is read when the nurse or doctor asks
   * (Open), never again by itself (not on reconnect, not when the screen comes back).
   */
  chart: (patientId: number) => queryOptions({ ...channelQuery('patients/open-chart', { patientId }), ...READ_ON_REQUEST }),
  /** Demographics only, for those who may not read the chart; likewise read when asked. */
  patient: (patientId: number) => queryOptions({ ...channelQuery('patients/get-patient', { patientId }), ...READ_ON_REQUEST }),
};
