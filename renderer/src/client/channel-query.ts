import { queryOptions, type Query, type QueryClient } from '@tanstack/react-query';
import type { ChannelInput, ChannelKey, ChannelOutput, ClinicError } from '../../../contract/index.js';
import { call } from './clinic-client.js';

/**
 * What Query holds as a failure: an Error (so it has a stack in the console) that is also the
 * ClinicError main sent, so it goes straight back into the error display.
 */
export type ClinicFailure = Error & ClinicError;

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: ClinicFailure;
    queryKey: ChannelQueryKey;
  }
}

/** Every query is keyed by its channel, then its input: `['scheduling/get-book', { … }]`. */
export type ChannelQueryKey = readonly [ChannelKey, ...unknown[]];

export const toFailure = (error: ClinicError): ClinicFailure => Object.assign(new Error(error.message), error);

/** The adapter between the client's Result and Query: a failed Result is thrown as a ClinicFailure. */
export async function request<C extends ChannelKey>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await call(channel, input);
  if (!result.ok) throw toFailure(result.error);
  return result.value;
}

/** One channel read as a query, keyed by channel and input; features build their queries.ts from it. */
export const channelQuery = <C extends ChannelKey>(channel: C, input: ChannelInput<C>) =>
  queryOptions({ queryKey: [channel, input] as const, queryFn: () => request(channel, input) });

/**
 * For reads made only when the user asks (an audited chart read): never read again by themselves,
 * neither when they go stale nor when the database comes back, and forgotten as soon as nothing
 * shows them, so asking again is always a new read.
 */
export const READ_ON_REQUEST = { staleTime: Infinity, gcTime: 0, meta: { readOnRequest: true } } as const;

/** Marks every query of these channels stale and refetches the ones on screen. */
export const invalidateChannels = (client: QueryClient, ...channels: ChannelKey[]) =>
  client.invalidateQueries({ predicate: (query: Query) => channels.includes(query.queryKey[0]) });

/** What a form does once its change is answered: show the outcome, clear fields, move on. */
export interface AnswerHandlers<TData> {
  onSuccess?: (answer: TData) => unknown;
  onError?: (error: ClinicFailure) => unknown;
  onSettled?: () => unknown;
}

// The latest call of each mutation (keyed by its mutateAsync, stable for the component's life).
const latestCall = new WeakMap<object, number>();

/**
 * Runs a change and then its handlers. Query's own per-call handlers run only while the form that asked
 * is still on screen, and the refresh a change triggers can take it away first (a transferred patient's
 * bed has no Transfer dialog any more), so the nurse would never see "moved". These run whatever is on
 * screen, but, as Query's, only for the latest call of that mutation: a slow answer to an earlier scan
 * never replaces the answer to the one the nurse made since.
 */
export function mutateThen<TData, TVariables>(
  mutation: { mutateAsync(variables: TVariables): Promise<TData> },
  variables: TVariables,
  { onSuccess, onError, onSettled }: AnswerHandlers<TData>,
): void {
  const key = mutation.mutateAsync;
  const call = (latestCall.get(key) ?? 0) + 1;
  latestCall.set(key, call);
  const latest = () => latestCall.get(key) === call;
  mutation
    .mutateAsync(variables)
    // A failure is already on screen through the mutation's own `error`; the handler only adds to it.
    .then(
      (answer) => latest() && onSuccess?.(answer),
      (error: ClinicFailure) => latest() && onError?.(error),
    )
    .finally(() => latest() && onSettled?.());
}
