import { useSession } from '../session/index.js';

/** Whether the database answers; an unknown state (status not read yet) counts as reachable. */
export function useDatabaseReachable(): boolean {
  return useSession((s) => (s.status ? s.status.database === 'connected' : true));
}

/** Why a write is refused while the database is away (title and help text of disabled buttons). */
export const OFFLINE_REASON = 'The database cannot be reached: nothing can be verified, dispensed or moved until it is back.';

const time = (ms: number) => new Date(ms).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });

/** The read-only banner over data kept from the last refresh. `updatedAt` 0: nothing was read before the cut. */
export function OfflineBanner({ updatedAt, what }: { updatedAt: number; what: string }) {
  const reachable = useDatabaseReachable();
  if (reachable) return null;
  return (
    <div className="pharmacy-offline" role="alert" data-testid="pharmacy-offline">
      <strong>Offline — read only.</strong>{' '}
      {updatedAt > 0 ? (
        <>
          {what} as of the last refresh at <time dateTime={new Date(updatedAt).toISOString()}>{time(updatedAt)}</time>.
        </>
      ) : (
        <>No {what.toLowerCase()} was read before the database went away.</>
      )}{' '}
      {OFFLINE_REASON}
    </div>
  );
}
