import { useState } from 'react';
import type { HealthSnapshot } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { formatSeconds } from './format.js';
import { useSignalBackend } from './queries.js';
import { mutateThen } from '../client/channel-query.js';

type LongQuery = HealthSnapshot['longQueries'][number];

/** Queries over the threshold, each with Cancel; ending the connection asks a second time. */
export function LongQueries({ health }: { health: HealthSnapshot }) {
  const signal = useSignalBackend();
  const [confirming, setConfirming] = useState<number | null>(null);
  const [done, setDone] = useState('');
  const act = (query: LongQuery, action: 'cancel' | 'terminate') =>
    mutateThen(
      signal,
      { pid: query.pid, action, confirmed: action === 'terminate' },
      {
        onSuccess: ({ signalled }) => {
          setConfirming(null);
          setDone(
            signalled
              ? `${action === 'cancel' ? 'Cancelled the query of' : 'Ended the connection of'} ${query.login} (process ${query.pid}).`
              : `Process ${query.pid} did not accept the signal.`,
          );
        },
      },
    );
  return (
    <section aria-labelledby="long-queries-title">
      <h2 id="long-queries-title">Queries running longer than {formatSeconds(health.longQuerySeconds)}</h2>
      <FormError error={signal.error} />
      <Notice>{done}</Notice>
      {health.longQueries.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <table className="data-table" aria-label="Long queries">
          <thead>
            <tr>
              <th>Process</th>
              <th>Login</th>
              <th>Application</th>
              <th>State</th>
              <th>Running</th>
              <th>Query</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {health.longQueries.map((q) => (
              <tr key={q.pid}>
                <td>{q.pid}</td>
                <td>{q.login}</td>
                <td>{q.application}</td>
                <td>{q.waitEvent ? `${q.state} (waits: ${q.waitEvent})` : q.state}</td>
                <td>{formatSeconds(q.seconds)}</td>
                <td>
                  <code className="monitor-query">{q.query}</code>
                </td>
                <td className="row-actions">
                  <button
                    type="button"
                    disabled={signal.isPending}
                    onClick={() => act(q, 'cancel')}
                    aria-label={`Cancel the query of process ${q.pid}`}
                  >
                    Cancel
                  </button>
                  {confirming === q.pid ? (
                    <>
                      <button type="button" className="danger" disabled={signal.isPending} onClick={() => act(q, 'terminate')}>
                        Yes, end connection {q.pid} (its work is rolled back)
                      </button>
                      <button type="button" onClick={() => setConfirming(null)}>
                        Keep it
                      </button>
                    </>
                  ) : (
                    <button type="button" onClick={() => setConfirming(q.pid)} aria-label={`End the connection of process ${q.pid}`}>
                      Terminate…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
