import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { secureConnection } from './connection-security.js';
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
  /** TLS with the certificate and host name checked (verify-full); required for a server on another computer. */
  ssl?: boolean;
  /** The hospital's own certificate authority (PEM file), when its server certificate is not from a public one. */
  caFile?: string | null;
  /** An administrator allowed a plain connection to another computer (Admin → Database connection); shown as a warning. */
  allowInsecure?: boolean;
}

// DATE stays 'YYYY-MM-DD': turning it into a JS Date shifts birthdays across time zones.
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.DATE
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Every pool the app and the migration CLI open: refuses (InsecureConnectionRefused) a server on
 * another computer without verified TLS unless an administrator allowed it (connection-security.ts).
 */
export function createPool(options: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): pg.Pool {
  const { config } = secureConnection(options, env);
  const pool = new pg.Pool({
    ...config,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 3000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'clinic-workstation',
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
