import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput, ChannelKey } from '../../../contract/index.js';
import { channelQuery, invalidateChannels, READ_ON_REQUEST, request } from '../client/channel-query.js';

/** The ward's reads, each keyed by its channel and input. */
export const wardQueries = {
  /**
   * A chart with its history: every read is audited, so it is read when the nurse or doctor asks
   * (Open), never again by itself (not on reconnect, not when the screen comes back).
   */
  chart: (patientId: number) => queryOptions({ ...channelQuery('patients/open-chart', { patientId }), ...READ_ON_REQUEST }),
  /** Demographics only, for those who may not read the chart; likewise read when asked. */
  patient: (patientId: number) => queryOptions({ ...channelQuery('patients/get-patient', { patientId }), ...READ_ON_REQUEST }),
  /** The board refreshes each minute so a new score or a bed freed elsewhere shows without a key. */
  bedBoard: (departmentId: number | undefined) =>
    queryOptions({ ...channelQuery('ward/get-bed-board', departmentId === undefined ? {} : { departmentId }), refetchInterval: 60_000 }),
  census: () => queryOptions({ ...channelQuery('ward/get-census', {}), refetchInterval: 60_000 }),
  observations: (patientId: number) => channelQuery('ward/get-observations', { patientId, hours: 72 }),
  allergies: (patientId: number) => channelQuery('pharmacy/list-allergies', { patientId }),
  /** The SpO2 scale the next vitals are scored on, and the doctor's decision behind it. */
  saturationScale: (patientId: number) => channelQuery('ward/get-saturation-scale', { patientId }),
  /** Any registered patient (a nurse's own view holds only patients in her care); audited in the database. */
  admissionSearch: (query: string) => channelQuery('ward/find-patients-to-admit', { query }),
  /** The ward's MAR (last 24 h, next 24 h), read again each minute: a dose turns due or late by the clock. */
  mar: (departmentId: number | undefined) =>
    queryOptions({ ...channelQuery('ward/get-mar', departmentId === undefined ? {} : { departmentId }), refetchInterval: 60_000 }),
  patientMar: (patientId: number) => queryOptions({ ...channelQuery('ward/get-mar', { patientId }), refetchInterval: 60_000 }),
  notes: (patientId: number) => channelQuery('ward/list-notes', { patientId, limit: 50 }),
  handover: (departmentId: number | undefined) => channelQuery('ward/get-handover', departmentId === undefined ? {} : { departmentId }),
  /** The sealed copy this terminal keeps for when the database is away (null: none for this user). */
  lastKnownCopy: () => channelQuery('ward/get-last-known-copy', {}),
};

/** What a bed move makes stale: the board, the census. */
const BED_CHANNELS: ChannelKey[] = ['ward/get-bed-board', 'ward/get-census'];

function useBedsChanged() {
  const client = useQueryClient();
  return () => invalidateChannels(client, ...BED_CHANNELS);
}

export function useAdmit() {
  const changed = useBedsChanged();
  return useMutation({
    mutationFn: (input: ChannelInput<'ward/admit-patient'>) => request('ward/admit-patient', input),
    onSettled: changed,
  });
}

export function useTransfer() {
  const changed = useBedsChanged();
  return useMutation({
    mutationFn: (input: ChannelInput<'ward/transfer-patient'>) => request('ward/transfer-patient', input),
    onSettled: changed,
  });
}

export function useDischarge() {
  const changed = useBedsChanged();
  return useMutation({
    mutationFn: (input: ChannelInput<'ward/discharge-patient'>) => request('ward/discharge-patient', input),
    onSettled: changed,
  });
}

/** A clean asked for at a bed: housekeeping's queue has it (the board shows a bed's own open clean). */
export function useRequestCleaning() {
  const changed = useBedsChanged();
  return useMutation({
    mutationFn: (input: ChannelInput<'ward/request-cleaning'>) => request('ward/request-cleaning', input),
    onSettled: changed,
  });
}

export function useCompleteCleaning() {
  const changed = useBedsChanged();
  return useMutation({
    mutationFn: (input: ChannelInput<'ward/complete-cleaning'>) => request('ward/complete-cleaning', input),
    onSettled: changed,
  });
}

/** A new set of vitals changes the chart's history and the board's latest score. */
export function useRecordObservation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<'ward/record-observation'>) => request('ward/record-observation', input),
    onSuccess: () => invalidateChannels(client, 'ward/get-observations', 'ward/get-bed-board'),
  });
}

/** A doctor's scale decision changes how the next vitals are scored: the scale shown with the vitals form. */
export function useSetSaturationScale() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<'ward/set-saturation-scale'>) => request('ward/set-saturation-scale', input),
    onSuccess: () => invalidateChannels(client, 'ward/get-saturation-scale'),
  });
}

/** What a recorded dose makes stale: the MAR, the board's due counts, the handover. */
const DOSE_CHANNELS: ChannelKey[] = ['ward/get-mar', 'ward/get-bed-board', 'ward/get-due-medicines', 'ward/get-handover'];

/** Record a dose after both scans (the server runs every check again; a stop records nothing). */
export function useAdministerDose() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<'ward/administer-dose'>) => request('ward/administer-dose', input),
    onSettled: () => invalidateChannels(client, ...DOSE_CHANNELS),
  });
}

/** Checks both scans and says which dose they name; records nothing. */
export function useCheckAdministration() {
  return useMutation({ mutationFn: (input: ChannelInput<'ward/check-administration'>) => request('ward/check-administration', input) });
}

export function useRecordDoseOutcome() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<'ward/record-dose-outcome'>) => request('ward/record-dose-outcome', input),
    onSettled: () => invalidateChannels(client, ...DOSE_CHANNELS),
  });
}

/** Correct a recorded dose: a new row marks it entered in error, and the dose can be recorded again. */
export function useMarkAdministrationInError() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<'ward/mark-administration-in-error'>) => request('ward/mark-administration-in-error', input),
    onSettled: () => invalidateChannels(client, ...DOSE_CHANNELS),
  });
}

export function useAddNote() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<'ward/add-note'>) => request('ward/add-note', input),
    onSuccess: () => invalidateChannels(client, 'ward/list-notes', 'ward/get-handover'),
  });
}
