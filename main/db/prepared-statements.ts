import { createHash } from 'node:crypto';
import type pg from 'pg';

/** How many statements one connection keeps prepared; beyond it, new ones run unnamed (bounded server memory). */
const MAX_PREPARED_PER_CONNECTION = 400;

type Callback = (error: Error | null, result?: unknown) => void;

/** The server kept a plan whose result columns a migration has since changed: that name must not be used again. */
const isStalePlan = (error: unknown) =>
  (error as { code?: string } | null)?.code === '0A000' && /cached plan must not change result type/.test(String((error as Error).message));

/**
 * Prepares each parameterised statement once per connection (named by a hash of its text), so the
 * server plans it once instead of on every call. Row level security makes planning the larger cost of
 * the app's short queries: every policy's sub-queries are planned with the query (bench:ward --profile,
 * 1–4 ms planning beside 0.1–3 ms executing). Statements without parameters (BEGIN and the user
 * context, COMMIT, DDL) go through unchanged. A plan a migration made stale is retired and the
 * statement prepared afresh under a new name on its next call. Not behind a transaction pooler that
 * cannot carry named statements: its server sessions change under the client (DATABASE_PREPARED_STATEMENTS=off).
 */
export function prepareParameterisedStatements(client: pg.PoolClient): void {
  const names = new Map<string, string>();
  let retired = 0;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (first: unknown, values?: unknown, callback?: unknown) => {
    if (typeof first !== 'string' || !Array.isArray(values) || values.length === 0) return query(first, values, callback);
    let name = names.get(first);
    if (!name) {
      if (names.size >= MAX_PREPARED_PER_CONNECTION) return query(first, values, callback);
      name = `clinic_${createHash('sha1').update(first).digest('base64url')}`;
      names.set(first, name);
    }
    const retireIfStale = (error: unknown) => {
      if (isStalePlan(error)) names.set(first, `${name}_${(retired += 1)}`);
    };
    const config = { name, text: first, values };
    if (typeof callback === 'function')
      return query(config, (error: Error | null, result?: unknown) => {
        retireIfStale(error);
        (callback as Callback)(error, result);
      });
    return (query(config) as Promise<unknown>).catch((error: unknown) => {
      retireIfStale(error);
      throw error;
    });
  };
}
