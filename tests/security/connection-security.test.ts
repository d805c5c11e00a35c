// The database password's blast radius: a server on another computer is reached only over TLS that
// checks the certificate chain and the host name (libpq's verify-full), unless an administrator
// allowed less. Attacks: a plain or unverified DATABASE_URL / saved server, a URL that hides its
// real host in a query parameter, and a man in the middle with a certificate for another name or
// from an untrusted authority.
// Not real here: PostgreSQL's TLS. The test cluster runs without TLS, so a Node TLS server on this
// machine's network address answers PostgreSQL's SSLRequest and does a real handshake; what pg
// does with the certificate is what is tested. Certificates are made with the openssl CLI.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../main/db/connection.js';
import { ALLOW_INSECURE_ENV, InsecureConnectionRefused, isLoopbackHost, secureConnection } from '../../main/db/connection-security.js';

/** This machine's own non-loopback IPv4 address: "another computer" as far as the rule can tell. */
const lanAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('which hosts count as this computer', () => {
  it('loopback: 127.0.0.0/8, ::1 in any spelling, localhost, a Unix socket folder', () => {
    for (const host of [
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
      '::ffff:127.0.0.1',
      'localhost',
      'LOCALHOST',
      '/var/run/postgresql',
    ]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
  });

  it('everything else is another computer, including look-alikes', () => {
    for (const host of [
      '10.0.0.5',
      '192.0.2.1',
      '::2',
      '::ffff:10.0.0.1',
      'db.hospital.local',
      '127.0.0.1.evil.example',
      'localhost.evil.example',
      '127.1',
      '2130706433',
      '',
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe('the rule for every connection', () => {
  const refused =
    (options: Parameters<typeof secureConnection>[0], env: NodeJS.ProcessEnv = {}) =>
    () =>
      secureConnection(options, env);

  it('refuses a remote DATABASE_URL without sslmode=verify-full, whatever else it says', () => {
    for (const url of [
      'postgres://app:pw@db.hospital.local/clinic',
      'postgres://app:pw@db.hospital.local/clinic?sslmode=disable',
      'postgres://app:pw@db.hospital.local/clinic?sslmode=require', // pg 9 will give require libpq's meaning: no certificate check
      'postgres://app:pw@db.hospital.local/clinic?sslmode=verify-ca', // chain only, any host name
      'postgres://app:pw@db.hospital.local/clinic?sslmode=no-verify',
      'postgres://app:pw@db.hospital.local/clinic?ssl=true',
      'postgres://app:pw@localhost/clinic?host=db.hospital.local', // the real host hides in a parameter
      'postgres://app:pw@/clinic', // no host: PGHOST decides, as pg would
    ]) {
      expect(refused({ connectionString: url }, { PGHOST: 'db.hospital.local' }), url).toThrow(InsecureConnectionRefused);
    }
    expect(refused({ connectionString: 'postgres://app:pw@db.hospital.local/clinic' })).toThrow(
      /sslmode=verify-full.*CLINIC_ALLOW_INSECURE_DATABASE=1/,
    );
  });

  it('refuses a saved remote server without TLS unless an administrator allowed it, then warns', () => {
    const server = { host: '192.0.2.10', port: 5432, database: 'clinic', user: 'ward_a_3' };
    expect(refused({ ...server, ssl: false })).toThrow(InsecureConnectionRefused);
    expect(secureConnection({ ...server, ssl: false, allowInsecure: true }, {}).warning).toMatch(
      /192\.0\.2\.10 is not verified TLS \(allowed by the Admin/,
    );
    expect(secureConnection({ ...server, ssl: false }, { [ALLOW_INSECURE_ENV]: '1' }).warning).toMatch(
      /allowed by CLINIC_ALLOW_INSECURE_DATABASE=1/,
    );
    expect(refused({ ...server, ssl: false }, { [ALLOW_INSECURE_ENV]: 'true' })).toThrow(InsecureConnectionRefused); // only the documented value
    expect(secureConnection({ connectionString: 'postgres://a@db.hospital.local/c' }, { [ALLOW_INSECURE_ENV]: '1' }).warning).toMatch(
      /db\.hospital\.local/,
    );
  });

  it('refuses at the pool too, so no code path can open an unverified remote connection', () => {
    expect(() => createPool({ host: '192.0.2.10', user: 'x', password: 'secret' }, {})).toThrow(InsecureConnectionRefused);
    expect(() => createPool({ connectionString: 'postgres://x:secret@192.0.2.10/clinic?sslmode=require' }, {})).toThrow(
      InsecureConnectionRefused,
    );
  });

  it('lets loopback go as given, and gives a remote verify-full one strict TLS that nothing in the URL can loosen', () => {
    expect(secureConnection({ connectionString: 'postgres://a@127.0.0.1:5/c?sslmode=disable' }, {})).toMatchObject({
      warning: null,
      config: { connectionString: expect.any(String) },
    });
    expect(secureConnection({ connectionString: 'postgres://a@localhost/c' }, {}).warning).toBeNull();
    expect(secureConnection({ host: '/var/run/postgresql', database: 'c' }, {}).config.ssl).toBe(false);
    for (const extra of ['', '&ssl=no-verify', '&ssl=0', '&uselibpqcompat=true']) {
      const { config } = secureConnection({ connectionString: `postgres://a@db.hospital.local/c?sslmode=verify-full${extra}` }, {});
      expect(config.ssl, extra).toEqual({ rejectUnauthorized: true, servername: 'db.hospital.local' });
      expect(config).not.toHaveProperty('connectionString');
    }
  });
});

describe.skipIf(!lanAddress)('verify-full against a TLS endpoint (needs a non-loopback address on this machine)', () => {
  let dir: string;
  let caFile: string;
  let endpoint: { port: number; handshakes: () => number; close: () => Promise<void>; useCertificate: (name: 'right' | 'wrong') => void };

  /** Answers PostgreSQL's SSLRequest with 'S', then a real TLS handshake; after it, hangs up. */
  async function startTlsEndpoint(certs: Record<'right' | 'wrong', { key: string; cert: string }>) {
    let current = certs.right;
    let handshakes = 0;
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.once('data', () => {
        socket.write('S');
        const secure = new tls.TLSSocket(socket, { isServer: true, key: current.key, cert: current.cert });
        secure.on('error', () => undefined);
        secure.on('secure', () => {
          handshakes += 1;
          secure.destroy();
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, lanAddress, resolve));
    return {
      port: (server.address() as net.AddressInfo).port,
      handshakes: () => handshakes,
      useCertificate: (name: 'right' | 'wrong') => void (current = certs[name]),
      close: async () => {
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tls-'));
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=Test Hospital CA',
    );
    const issue = async (name: string, san: string) => {
      openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
      await fs.writeFile(path.join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
      openssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.pem`,
        '-days',
        '2',
        '-extfile',
        `${name}.ext`,
      );
    };
    await issue('right', `IP:${lanAddress}`);
    await issue('wrong', 'DNS:db.other.example');
    const read = async (name: string) => ({
      key: await fs.readFile(path.join(dir, `${name}.key`), 'utf8'),
      cert: await fs.readFile(path.join(dir, `${name}.pem`), 'utf8'),
    });
    caFile = path.join(dir, 'ca.pem');
    endpoint = await startTlsEndpoint({ right: await read('right'), wrong: await read('wrong') });
  });
  afterAll(async () => {
    await endpoint?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** The error the app's own pool meets connecting there (after a good handshake the endpoint hangs up). */
  async function connectError(options: Parameters<typeof createPool>[0]) {
    const pool = createPool({ ...options, connectionTimeoutMillis: 10_000 }, {});
    try {
      await pool.query('SELECT 1');
      return null;
    } catch (error) {
      return error as Error & { code?: string };
    } finally {
      await pool.end().catch(() => undefined);
    }
  }

  it('completes the handshake with the hospital CA and a certificate for the address', async () => {
    endpoint.useCertificate('right');
    const before = endpoint.handshakes();
    const error = await connectError({ host: lanAddress, port: endpoint.port, user: 'u', password: 'p', ssl: true, caFile });
    expect(error?.code).toBeUndefined(); // not a TLS failure: the endpoint hung up after the handshake
    expect(endpoint.handshakes()).toBe(before + 1);
  });

  it('refuses a certificate issued for another name (a man in the middle with a real certificate)', async () => {
    endpoint.useCertificate('wrong');
    expect(await connectError({ host: lanAddress, port: endpoint.port, user: 'u', password: 'p', ssl: true, caFile })).toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    const url = `postgres://u:p@${lanAddress}:${endpoint.port}/c?sslmode=verify-full&sslrootcert=${encodeURIComponent(caFile)}`;
    expect(await connectError({ connectionString: url })).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    expect(await connectError({ connectionString: `${url}&ssl=no-verify` })).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('refuses a certificate from an authority it was not told to trust', async () => {
    endpoint.useCertificate('right');
    const error = await connectError({ host: lanAddress, port: endpoint.port, user: 'u', password: 'p', ssl: true });
    expect(['SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']).toContain(error?.code);
  });

  it('names a CA file that cannot be used', () => {
    expect(() => createPool({ host: lanAddress, ssl: true, caFile: path.join(dir, 'missing.pem') }, {})).toThrow(
      /missing\.pem cannot be read \(ENOENT\)/,
    );
    expect(() => createPool({ host: lanAddress, ssl: true, caFile: path.join(dir, 'right.ext') }, {})).toThrow(/holds no PEM certificate/);
  });
});
