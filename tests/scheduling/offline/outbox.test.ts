// The offline outbox on a real file system: what was acknowledged survives SIGKILL at any moment,
// exactly once, and only a torn tail is cut off (damage anywhere is kept aside and reported: see
// outbox-damage.test.ts). Not real here: nothing — the writer is a separate Node process killed
// with SIGKILL.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionStore } from '../../../main/auth/session-store.js';
import { createHandlers } from '../../../main/app-handlers.js';
import { openOutbox, type OutboxDamage, type OutboxEntry } from '../../../main/scheduling/offline/outbox.js';
import { replayOutbox } from '../../../main/scheduling/offline/replay.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

const TRIALS = 50;
let workDir: string;
let writerScript: string;
let database: TestDatabase;
let clerk: string;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'outbox-'));
  database = await createTestDatabase('clinic_demo', 2);
  clerk = (await database.ownerPool.query(`SELECT user_id FROM users WHERE email = 'frontdesk@demo.clinic'`)).rows[0].user_id;
  writerScript = path.join(workDir, 'writer.mjs');
  // Bundled once, so each of the 50 trials starts a plain Node process quickly.
  await build({
    entryPoints: [path.resolve(import.meta.dirname, '../../support/outbox-writer.ts')],
    outfile: writerScript,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
  });
});
afterAll(async () => {
  rmSync(workDir, { recursive: true, force: true });
  await database?.drop();
});

const entry = (key: string, i = 0): OutboxEntry => ({
  key,
  userId: 'u',
  createdAt: new Date(0).toISOString(),
  channel: 'patients/register-patient',
  input: { i },
  dependsOn: [],
});

/** Runs the writer, lets it write for a random moment after its first ACK, SIGKILLs it; returns the ACKed keys. */
function writeAndKill(dir: string, key: Buffer, trial: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerScript, dir, key.toString('hex'), String(trial), clerk], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let armed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (!armed && out.includes('\n')) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), Math.random() * 120);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`writer ended by itself (${code}): ${out.slice(-200)}`));
      // Only whole lines count: a half-printed ACK was never seen by the clerk.
      resolve(
        out
          .split('\n')
          .slice(0, -1)
          .map((line) => line.replace(/^ACK /, '')),
      );
    });
  });
}

describe('offline outbox', () => {
  it(`keeps every acknowledged change exactly once across ${TRIALS} SIGKILLs at random moments`, async () => {
    const dir = path.join(workDir, 'kill-trials');
    const key = randomBytes(32);
    const acknowledged: string[] = [];
    let tornTails = 0;
    for (let trial = 0; trial < TRIALS; trial += 1) {
      acknowledged.push(...(await writeAndKill(dir, key, trial)));
      const before = statSync(path.join(dir, 'outbox.log')).size;
      const outbox = openOutbox(dir, key); // what the restarted app does
      if (statSync(path.join(dir, 'outbox.log')).size < before) tornTails += 1;
      const keys = outbox.pending().map((e) => e.key);
      outbox.close();
      expect(new Set(keys).size, 'no change twice').toBe(keys.length);
      const present = new Set(keys);
      expect(
        acknowledged.filter((k) => !present.has(k)),
        `trial ${trial}: acknowledged but missing`,
      ).toEqual([]);
    }
    console.info(
      `outbox kill test: ${TRIALS} trials, ${acknowledged.length} acknowledged changes, ${tornTails} torn tails cut off on restart`,
    );
    expect(acknowledged.length).toBeGreaterThan(TRIALS);

    // Then replayed to PostgreSQL — interrupted after the first part and run again in full, as a
    // terminal does after a crash mid-replay: every change is on the server exactly once.
    const outbox = openOutbox(dir, key);
    const queued = outbox.pending();
    outbox.close();
    const deps = {
      handlers: createHandlers(),
      sessions: createSessionStore(),
      terminal: { name: 'kill-test', role: 'front_desk' as const },
      logInternal: () => undefined,
    };
    await replayOutbox(database.db, queued.slice(0, Math.floor(queued.length / 3)), deps);
    const outcomes = await replayOutbox(database.db, queued, deps);
    expect(outcomes.filter((o) => o.outcome === 'needs-attention')).toEqual([]);
    const rows = await database.ownerPool.query(
      `SELECT last_name, count(*)::int AS n FROM patients WHERE first_name = 'Killed' GROUP BY last_name`,
    );
    expect(rows.rows.filter((r) => r.n !== 1)).toEqual([]);
    expect(rows.rowCount).toBe(queued.length);
    const stored = await database.ownerPool.query(
      `SELECT count(*)::int AS n FROM offline_requests WHERE idempotency_key = ANY($1::uuid[]) AND status = 'applied'`,
      [acknowledged],
    );
    expect(stored.rows[0].n).toBe(acknowledged.length);
    console.info(`kill test replay: ${queued.length} queued changes (${acknowledged.length} acknowledged) on the server exactly once`);
  }, 120_000);

  it('cuts off a torn tail (half a header, or a record cut short) and keeps appending after it', () => {
    const dir = path.join(workDir, 'torn');
    const key = randomBytes(32);
    const damage: OutboxDamage[][] = [];
    const outbox = openOutbox(dir, key);
    outbox.append(entry('a'));
    outbox.append(entry('b'));
    outbox.close();
    const whole = readFileSync(path.join(dir, 'outbox.log'));
    appendFileSync(path.join(dir, 'outbox.log'), Buffer.from([0, 0, 1, 0, 9, 9, 9])); // half a header
    const reopened = openOutbox(dir, key, { onDamage: (d) => damage.push(d) });
    expect(reopened.pending().map((e) => e.key)).toEqual(['a', 'b']);
    expect(readFileSync(path.join(dir, 'outbox.log'))).toEqual(whole);
    reopened.append(entry('c'));
    reopened.close();
    const withC = readFileSync(path.join(dir, 'outbox.log'));
    writeFileSync(path.join(dir, 'outbox.log'), withC.subarray(0, withC.length - 20)); // the last record cut short
    const again = openOutbox(dir, key, { onDamage: (d) => damage.push(d) });
    expect(again.pending().map((e) => e.key)).toEqual(['a', 'b']);
    again.append(entry('d'));
    again.close();
    expect(
      openOutbox(dir, key)
        .pending()
        .map((e) => e.key),
    ).toEqual(['a', 'b', 'd']);
    expect(damage, 'a torn tail is not damage').toEqual([]);
    expect(readdirSync(dir).filter((f) => f.includes('damaged'))).toEqual([]);
  });

  it('is unreadable without the key; opened with another key it keeps the file aside and reports every record', () => {
    const dir = path.join(workDir, 'tamper');
    const key = randomBytes(32);
    const outbox = openOutbox(dir, key);
    outbox.append({ ...entry('secret'), input: { lastName: 'Garcia', dateOfBirth: '1980-02-03' } });
    outbox.append(entry('after'));
    outbox.close();
    const raw = readFileSync(path.join(dir, 'outbox.log'));
    expect(raw.includes(Buffer.from('Garcia'))).toBe(false);
    const reports: OutboxDamage[][] = [];
    expect(openOutbox(dir, randomBytes(32), { onDamage: (d) => reports.push(d) }).pending()).toEqual([]);
    expect(reports).toMatchObject([[{ file: 'outbox.log', recovered: 0, unreadable: 2, exact: true }]]);
    expect(readFileSync(reports[0]![0]!.keptAs!)).toEqual(raw); // never deleted: the right key still reads the copy
  });
  it('forgets confirmed changes, durably, and compacts', () => {
    const dir = path.join(workDir, 'done');
    const key = randomBytes(32);
    const outbox = openOutbox(dir, key);
    for (const k of ['a', 'b', 'c']) outbox.append(entry(k));
    outbox.markDone(['a', 'c']);
    outbox.close();
    const reopened = openOutbox(dir, key);
    expect(reopened.pending().map((e) => e.key)).toEqual(['b']);
    reopened.compact();
    reopened.append(entry('d'));
    reopened.close();
    expect(
      openOutbox(dir, key)
        .pending()
        .map((e) => e.key),
    ).toEqual(['b', 'd']);
    expect(() => openOutbox(dir, randomBytes(16))).toThrow(/32 bytes/);
  });
});
