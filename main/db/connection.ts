import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { parse } from 'pg-connection-string';
import { secureConnection } from './connection-security.js';
import { prepareParameterisedStatements } from './prepared-statements.js';
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
  /**
   * Prepare parameterised statements once per connection (prepared-statements.ts). Default: on, unless
   * DATABASE_PREPARED_STATEMENTS=off (needed behind a transaction pooler that cannot carry them, such
   * as PgBouncer before 1.21 or with max_prepared_statements = 0).
   */
  preparedStatements?: boolean;
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
    ...withPinnedLogSettings(config),
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 3000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'clinic-workstation',
    types: typeParsers,
  });
  // A client dying (server restart, network cut) must not crash main: idle ones report to the pool,
  // checked-out ones to their own listener; their next query fails normally and the monitor reports it.
  pool.on('error', () => undefined);
  const prepare = options.preparedStatements ?? env.DATABASE_PREPARED_STATEMENTS !== 'off';
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    if (prepare) prepareParameterisedStatements(client);
  });
  return pool;
}

/**
 * Logging settings any login may set for itself (USERSET on PostgreSQL 15–18), and that would put the
 * medical-history key, a history's text or a plan with them into the server log. A login could plant
 * them with `ALTER ROLE <self> IN DATABASE … SET` (beating the DBA's per-role settings) or wipe those
 * with `ALTER ROLE … RESET ALL`; the startup packet's values beat every role and database setting
 * and survive RESET ALL. Only USERSET ones: a superuser-only one would refuse a non-superuser owner.
 */
export const PINNED_LOG_SETTINGS: Readonly<Record<string, string>> = {
  debug_print_parse: 'off',
  debug_print_rewritten: 'off',
  debug_print_plan: 'off',
  log_parameter_max_length_on_error: '0',
};
const pinnedOptions = Object.entries(PINNED_LOG_SETTINGS)
  .map(([name, value]) => `-c ${name}=${value}`)
  .join(' ');

/** The pinned settings after any `options` the caller gave (a later -c wins), wherever pg would read them. */
function withPinnedLogSettings(config: pg.ClientConfig): pg.ClientConfig {
  // pg lets a connection string's own options replace config.options, so they are joined there.
  const fromString = config.connectionString ? parse(config.connectionString).options : undefined;
  if (config.connectionString && fromString) {
    const url = new URL(config.connectionString);
    url.searchParams.set('options', `${fromString} ${pinnedOptions}`);
    return { ...config, connectionString: url.toString() };
  }
  return { ...config, options: config.options ? `${config.options} ${pinnedOptions}` : pinnedOptions };
}

export function createKysely(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
