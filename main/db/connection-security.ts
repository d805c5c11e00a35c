import { readFileSync } from 'node:fs';
import net from 'node:net';
import type pg from 'pg';
import { parse, toClientConfig } from 'pg-connection-string';
import type { ConnectionOptions } from './connection.js';

/**
 * The one way past the rule below, for an administrator who must run against a server that has no
 * TLS yet: set it to 1 where the app or `npm run migrate` starts. Named for what it does, so it reads
 * as the risk it is in a service definition or a shell history.
 */
export const ALLOW_INSECURE_ENV = 'CLINIC_ALLOW_INSECURE_DATABASE';

export class InsecureConnectionRefused extends Error {}

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6'); // IPv4-mapped ::ffff:127.x.y.z is checked against the IPv4 rule

/** This computer only: 127.0.0.0/8, ::1, localhost, or a Unix socket folder (a path). */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  if (h.startsWith('/')) return true;
  if (h === 'localhost') return true;
  const family = net.isIP(h);
  return family !== 0 && LOOPBACK.check(h, family === 4 ? 'ipv4' : 'ipv6');
}

/** libpq's verify-full: a trusted chain (the hospital's CA if given, else Node's public roots) and the host name or IP in the certificate. */
function verifyFullTls(host: string, files: { ca?: string | undefined; cert?: string | undefined; key?: string | undefined }) {
  return {
    rejectUnauthorized: true,
    ...(files.ca ? { ca: files.ca } : {}),
    ...(files.cert ? { cert: files.cert } : {}),
    ...(files.key ? { key: files.key } : {}),
    // SNI must not carry an IP; Node then checks the IP against the certificate's IP entries.
    ...(net.isIP(host) === 0 ? { servername: host } : {}),
  };
}

/** A CA file for the hospital's own certificate authority, read now so a wrong path fails with its name. */
export function readCaFile(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`The CA certificate file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, {
      cause: error,
    });
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`The CA certificate file ${file} holds no PEM certificate.`);
  return pem;
}

const warningFor = (host: string, via: string) =>
  `The connection to ${host} is not verified TLS (allowed by ${via}): on the network, patient data and the database password can be read or changed.`;

export interface SecuredConnection {
  /** What pg gets: built here, so the TLS settings checked are the ones used. */
  config: pg.ClientConfig;
  host: string;
  /** Set when an administrator allowed a plain or unverified connection to another computer. */
  warning: string | null;
}

/**
 * The rule for every connection the app and the migration CLI make: a server on another computer
 * is reached only with verified TLS (sslmode=verify-full), unless an administrator allowed less —
 * the saved setting (allowInsecure) or CLINIC_ALLOW_INSECURE_DATABASE=1 — and then with a warning.
 * Loopback connections never leave this computer and are used as given.
 */
export function secureConnection(options: ConnectionOptions, env: NodeJS.ProcessEnv): SecuredConnection {
  const allowedBy =
    env[ALLOW_INSECURE_ENV] === '1' ? `${ALLOW_INSECURE_ENV}=1` : options.allowInsecure ? 'the Admin → Database connection setting' : null;
  if (options.connectionString !== undefined) {
    // pg's own parser, so the host and sslmode judged here are the ones pg would have used.
    const parsed = parse(options.connectionString);
    const host = parsed.host || env.PGHOST || 'localhost';
    // Used as given (pg parses it again, with all its own rules) where nothing is at stake.
    const asGiven = { connectionString: options.connectionString };
    if (isLoopbackHost(host)) return { config: asGiven, host, warning: null };
    if (parsed.sslmode === 'verify-full') {
      // Built here rather than left to pg: one TLS setting, whatever else the string says (ssl=, uselibpqcompat=).
      const files = typeof parsed.ssl === 'object' ? parsed.ssl : {};
      const ssl = verifyFullTls(host, { ca: files.ca, cert: files.cert ?? undefined, key: files.key });
      return { config: { ...toClientConfig(parsed), host, ssl }, host, warning: null };
    }
    if (allowedBy) return { config: asGiven, host, warning: warningFor(host, allowedBy) };
    throw new InsecureConnectionRefused(
      `DATABASE_URL names ${host}, a server on another computer, without sslmode=verify-full. Add sslmode=verify-full (with sslrootcert=<CA file> when the hospital has its own certificate authority), or set ${ALLOW_INSECURE_ENV}=1 to accept a connection that can be read or changed on the network.`,
    );
  }
  const host = options.host || env.PGHOST || 'localhost';
  const config = { host, port: options.port, user: options.user, password: options.password, database: options.database };
  if (options.ssl)
    return {
      config: { ...config, ssl: verifyFullTls(host, { ca: options.caFile ? readCaFile(options.caFile) : undefined }) },
      host,
      warning: null,
    };
  if (isLoopbackHost(host)) return { config: { ...config, ssl: false }, host, warning: null };
  if (allowedBy) return { config: { ...config, ssl: false }, host, warning: warningFor(host, allowedBy) };
  throw new InsecureConnectionRefused(
    `The hospital server ${host} is on another computer and its connection is not encrypted with a checked certificate. Turn on "Encrypted connection" in Admin → Database connection, or an administrator allows an unencrypted connection there (or with ${ALLOW_INSECURE_ENV}=1).`,
  );
}
