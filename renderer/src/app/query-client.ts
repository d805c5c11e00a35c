import { QueryClient } from '@tanstack/react-query';
import { invalidateChannels } from '../client/channel-query.js';
import { useSession } from '../session/index.js';
import { useNavigation } from './navigation.js';

/** The window's one cache of server data. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Calls go over IPC to main, which answers from the offline desk when the database is away:
      // the browser's idea of being online says nothing about them.
      networkMode: 'always',
      // An error is a typed answer from main (Validation, Forbidden, Unavailable…), not a flaky network.
      retry: false,
      // Refetches follow the database's state (below) and the window's own changes, not the focus:
      // a free slot on screen stays as shown until something that changes the book happens.
      refetchOnWindowFocus: false,
      refetchOnReconnect: false,
    },
    mutations: { networkMode: 'always', retry: false },
  },
});

/**
 * Server data follows the session and the database:
 * - another user (or none) at the window, or the screen locked: nothing read for the previous one stays cached;
 * - the database came back or went away, or this terminal's waiting changes were sent: what is on screen is read again;
 * - the Needs-attention count moved: the inbox is read again.
 */
export function followSessionAndDatabase(): () => void {
  return useSession.subscribe((now, before) => {
    const lockedNow = now.session?.locked === true && before.session?.locked !== true;
    if (now.generation !== before.generation || lockedNow) {
      queryClient.clear();
      if (now.generation !== before.generation) useNavigation.getState().reset();
      return;
    }
    const database = now.status?.database !== before.status?.database;
    const waiting = now.status?.waitingChanges !== before.status?.waitingChanges;
    if (database || waiting) void queryClient.invalidateQueries({ predicate: (query) => query.meta?.readOnRequest !== true });
    if (now.status?.needsAttention !== before.status?.needsAttention) void invalidateChannels(queryClient, 'offline/list-attention-items');
  });
}
