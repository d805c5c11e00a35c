import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput, ChannelOutput } from '../../../contract/index.js';
import { channelQuery, invalidateChannels, request } from '../client/channel-query.js';

/** Fewer names that start so than this, and the wider search (inside names, one typo away) follows. */
export const SHORT_LIST = 5;

/** The front desk's reads, each keyed by its channel and input. */
export const schedulingQueries = {
  doctors: () => channelQuery('scheduling/list-doctors', {}),
  /** While another day or doctor loads, the book shown stays until its answer is in. */
  book: (input: ChannelInput<'scheduling/get-book'>) =>
    queryOptions({ ...channelQuery('scheduling/get-book', input), placeholderData: keepPreviousData }),
  upcoming: (patientId: number) => channelQuery('scheduling/list-patient-appointments', { patientId }),
  /** `wider: false`: names that start so (fast, shown at once); `true`: also inside names and one typo away. */
  patientSearch: (query: string, wider: boolean) => channelQuery('patients/search-patients', { query, limit: 20, wider }),
  attentionItems: () => channelQuery('offline/list-attention-items', {}),
};

/** What a change to the book makes stale: the book and the patients' upcoming appointments. */
function useBookChanged() {
  const client = useQueryClient();
  return () => invalidateChannels(client, 'scheduling/get-book', 'scheduling/list-patient-appointments');
}

type BookingRequest =
  | { move: false; input: ChannelInput<'scheduling/book-appointment'> }
  | { move: true; input: ChannelInput<'scheduling/reschedule-appointment'> };

/** Book a slot, or move an appointment to it; a clash fails with the next free slots. The book is read again either way. */
export function useBookSlot() {
  const bookChanged = useBookChanged();
  return useMutation({
    mutationFn: (booking: BookingRequest): Promise<ChannelOutput<'scheduling/book-appointment'>> =>
      booking.move ? request('scheduling/reschedule-appointment', booking.input) : request('scheduling/book-appointment', booking.input),
    onSettled: bookChanged,
  });
}

type AppointmentChange =
  | { change: 'status'; input: ChannelInput<'scheduling/set-appointment-status'> }
  | { change: 'cancel'; input: ChannelInput<'scheduling/cancel-appointment'> };

/** Check in, no-show, complete or cancel an appointment. */
export function useChangeAppointment() {
  const bookChanged = useBookChanged();
  return useMutation({
    mutationFn: (change: AppointmentChange): Promise<ChannelOutput<'scheduling/set-appointment-status'>> =>
      change.change === 'status'
        ? request('scheduling/set-appointment-status', change.input)
        : request('scheduling/cancel-appointment', change.input),
    onSettled: bookChanged,
  });
}

/** Register a walk-in (or learn of the possible duplicates first). */
export function useRegisterPatient() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<'patients/register-patient'>) => request('patients/register-patient', input),
    onSuccess: () => invalidateChannels(client, 'patients/search-patients'),
  });
}

/** Fix one Needs-attention item; main answers with the inbox as it is now. */
export function useResolveAttention() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<'offline/resolve-attention-item'>) => request('offline/resolve-attention-item', input),
    onSuccess: (items) => client.setQueryData(schedulingQueries.attentionItems().queryKey, items),
    onError: () => invalidateChannels(client, 'offline/list-attention-items'),
    onSettled: () => invalidateChannels(client, 'scheduling/get-book', 'scheduling/list-patient-appointments'),
  });
}
