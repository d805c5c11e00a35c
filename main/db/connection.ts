import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';

export interface ConnectionOptions {
  connectionString?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  max?: number;
  /** A short connect timeout keeps "database unreachable" detection fast. */
  connectionTimeoutMillis?: number;
  applicationName?: string;
  /** Verify the server's certificate (hospital servers); off for the embedded loopback database. */
  ssl?: boolean;
}

// DATE stays 'YYYY-MM-DD': turning it into a JS Date shifts birthdays across time zones.
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.DATE
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export function createPool(options: ConnectionOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    host: options.host,
    port: options.port,
    user: options.user,
    password: options.password,
    database: options.database,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 3000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'clinic-workstation',
    ssl: options.ssl ? { rejectUnauthorized: true } : undefined,
    types: typeParsers,
  });
  // A client dying (server restart, network cut) must not crash main: idle ones report to the pool,
  // checked-out ones to their own listener; their next query fails normally and the monitor reports it.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

export function createKysely(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
