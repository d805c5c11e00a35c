import { MutationObserver, QueryClient } from '@tanstack/query-core';
import { describe, expect, it, vi } from 'vitest';
import { mutateThen, type ClinicFailure } from '../../renderer/src/client/channel-query.js';

// Query's core without React: the observer is what useMutation holds; unsubscribing is the form unmounting.
function formThatGoesAwayOnRefresh() {
  const client = new QueryClient();
  let unmount = () => {};
  const observer = new MutationObserver(client, {
    mutationFn: (bed: string) => Promise.resolve(`moved to ${bed}`),
    // Like the ward's bed moves: the refresh this change triggers takes the dialog off screen before the answer.
    onSettled: () => unmount(),
  });
  unmount = observer.subscribe(() => {});
  return observer;
}

/** useMutation's mutateAsync is the observer's mutate without per-call handlers. */
const asHook = <D, V>(observer: MutationObserver<D, ClinicFailure, V>) => ({ mutateAsync: (v: V) => observer.mutate(v) });

describe('mutateThen', () => {
  it("runs the answer's handler even when the form that asked has gone (Query's per-call onSuccess does not)", async () => {
    const perCall: string[] = [];
    await formThatGoesAwayOnRefresh()
      .mutate('WA-02/1', { onSuccess: (answer) => void perCall.push(answer) })
      .catch(() => {});
    expect(perCall).toEqual([]);

    const observer = formThatGoesAwayOnRefresh();
    const answer = await new Promise<string>((resolve) => mutateThen(asHook(observer), 'WA-02/1', { onSuccess: resolve }));
    expect(answer).toBe('moved to WA-02/1');
  });

  it("runs only the latest call's handlers, as Query does: a slow answer to an earlier scan never replaces the later one", async () => {
    const client = new QueryClient();
    const answers: Record<string, (answer: string) => void> = {};
    const observer = new MutationObserver(client, {
      mutationFn: (scan: string) => new Promise<string>((resolve) => (answers[scan] = resolve)),
    });
    const hook = { mutateAsync: (scan: string) => observer.mutate(scan) };
    const seen: string[] = [];
    mutateThen(hook, 'medicine X', { onSuccess: (a) => seen.push(a), onSettled: () => seen.push('settled') });
    const later = new Promise<void>((settled) =>
      mutateThen(hook, 'medicine Y', { onSuccess: (a) => seen.push(a), onSettled: () => (seen.push('settled'), settled()) }),
    );
    // Query calls the mutation function a few ticks later: wait until both scans are in flight.
    await vi.waitFor(() => expect(Object.keys(answers)).toHaveLength(2));
    answers['medicine Y']!('Y is due');
    await later;
    answers['medicine X']!('X is due');
    // Both answered; then one task later every handler that was going to run has run.
    await vi.waitFor(() =>
      expect(
        client
          .getMutationCache()
          .getAll()
          .map((m) => m.state.status),
      ).toEqual(['success', 'success']),
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['Y is due', 'settled']);
  });

  it('passes a failure to onError and runs onSettled once either way', async () => {
    const client = new QueryClient();
    const observer = new MutationObserver(client, {
      mutationFn: () => Promise.reject(Object.assign(new Error('Bed taken'), { code: 'Conflict' })),
    });
    const seen: string[] = [];
    await new Promise<void>((settled) =>
      mutateThen(asHook(observer), undefined, {
        onSuccess: () => seen.push('success'),
        onError: (e) => seen.push(`error ${e.code}`),
        onSettled: () => settled(),
      }),
    );
    expect(seen).toEqual(['error Conflict']);
  });
});
