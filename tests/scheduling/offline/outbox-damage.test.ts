// Attacks on the outbox file by someone who has a copy of the terminal's files but not its key:
// a flipped byte, a removed, duplicated or swapped record, a record spliced from another outbox.
// Each is detected; the file as it was is kept aside (never deleted); every record that still
// opens is kept, in the order it was written; the changes that cannot be read are counted and
// reported. Only a torn tail (outbox.test.ts) is ever cut. Not real here: nothing (real files).
import { createCipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openOutbox, type OutboxDamage, type OutboxEntry } from '../../../main/scheduling/offline/outbox.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'outbox-damage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const entry = (key: string): OutboxEntry => ({
  key,
  userId: 'u',
  createdAt: new Date(0).toISOString(),
  channel: 'patients/register-patient',
  input: { lastName: `Name ${key}`.padEnd(60, '.') },
  dependsOn: [],
});
let dirs = 0;

/** An outbox of five changes k1…k5 (k1 already confirmed by the server when `done` says so). */
function fiveChanges(options: { done?: string[] } = {}) {
  const dir = path.join(root, `case-${(dirs += 1)}`);
  const key = randomBytes(32);
  const outbox = openOutbox(dir, key);
  for (const k of ['k1', 'k2', 'k3', 'k4', 'k5']) outbox.append(entry(k));
  if (options.done) outbox.markDone(options.done);
  outbox.close();
  const file = path.join(dir, 'outbox.log');
  return { dir, key, file, bytes: readFileSync(file) };
}

/** The byte ranges of the records in an outbox file ("CWO2", then [u32 n][u32 ~n][n bytes] each). */
function records(bytes: Buffer): Buffer[] {
  const found: Buffer[] = [];
  for (let at = 4; at < bytes.length;) {
    const end = at + 8 + bytes.readUInt32BE(at);
    found.push(bytes.subarray(at, end));
    at = end;
  }
  return found;
}
const flip = (bytes: Buffer, at: number, mask: number) => void (bytes[at] = bytes[at]! ^ mask);
const withRecords = (bytes: Buffer, list: Buffer[]) => Buffer.concat([bytes.subarray(0, 4), ...list]);

function reopen(dir: string, key: Buffer) {
  const reports: OutboxDamage[][] = [];
  const logged: string[] = [];
  const outbox = openOutbox(dir, key, { onDamage: (d) => reports.push(d), log: (m) => logged.push(m) });
  const pending = outbox.pending().map((e) => e.key);
  outbox.close();
  return { pending, reports, logged };
}

describe('a damaged or altered outbox', () => {
  it('one flipped byte in record 2 of 5: the file is kept aside whole, the other four are kept in order, one is reported unreadable', () => {
    const { dir, key, file, bytes } = fiveChanges();
    const altered = Buffer.from(bytes);
    const second = records(bytes)[1]!;
    flip(altered, 4 + records(bytes)[0]!.length + Math.floor(second.length / 2), 0x01);
    writeFileSync(file, altered);

    const { pending, reports, logged } = reopen(dir, key);
    expect(pending).toEqual(['k1', 'k3', 'k4', 'k5']);
    expect(reports).toHaveLength(1);
    const [damage] = reports[0]!;
    expect(damage).toMatchObject({ file: 'outbox.log', recovered: 4, unreadable: 1, exact: true });
    expect(readFileSync(damage!.keptAs!), 'kept aside byte for byte: nothing silently truncated').toEqual(altered);
    expect(path.basename(damage!.keptAs!)).toMatch(/^outbox\.log\.damaged-\d{8}T\d{6}Z-[0-9a-f]{12}\.bin$/);
    expect(logged.join('\n')).toMatch(/4 record\(s\) read and kept, 1 could not be read/);
    expect(logged.join('\n')).not.toContain('Name k'); // the log names no patient data

    // The rebuilt outbox is clean: opened again, nothing is reported twice, and appends go on.
    const next = openOutbox(dir, key, { onDamage: () => expect.unreachable('reported twice') });
    next.append(entry('k6'));
    next.close();
    expect(reopen(dir, key).pending).toEqual(['k1', 'k3', 'k4', 'k5', 'k6']);
  });

  it('a damaged length (the framing broken mid-file) is not taken for a torn tail: the records after it are found again', () => {
    const { dir, key, file, bytes } = fiveChanges();
    const altered = Buffer.from(bytes);
    flip(altered, 4 + records(bytes)[0]!.length + 1, 0x40); // inside record 2's length
    writeFileSync(file, altered);
    const { pending, reports } = reopen(dir, key);
    expect(pending).toEqual(['k1', 'k3', 'k4', 'k5']);
    expect(reports[0]).toMatchObject([{ unreadable: 1 }]);
  });

  it('damage in the last record, whole but not opening, is reported, not cut as a torn tail', () => {
    const { dir, key, file, bytes } = fiveChanges();
    const altered = Buffer.from(bytes);
    flip(altered, altered.length - 3, 0x01);
    writeFileSync(file, altered);
    const { pending, reports } = reopen(dir, key);
    expect(pending).toEqual(['k1', 'k2', 'k3', 'k4']);
    expect(reports[0]).toMatchObject([{ recovered: 4, unreadable: 1, exact: true }]);
  });

  it('a removed record is detected (a gap in the chain) and counted', () => {
    const { dir, key, file, bytes } = fiveChanges();
    const list = records(bytes);
    writeFileSync(file, withRecords(bytes, [list[0]!, list[1]!, list[3]!, list[4]!]));
    const { pending, reports } = reopen(dir, key);
    expect(pending).toEqual(['k1', 'k2', 'k4', 'k5']);
    expect(reports[0]).toMatchObject([{ unreadable: 1, problems: expect.arrayContaining(['1 record(s) missing from the sequence']) }]);
  });

  it('a duplicated record is detected and applied once', () => {
    const { dir, key, file, bytes } = fiveChanges();
    const list = records(bytes);
    writeFileSync(file, withRecords(bytes, [list[0]!, list[1]!, list[2]!, list[2]!, list[3]!, list[4]!]));
    const { pending, reports } = reopen(dir, key);
    expect(pending).toEqual(['k1', 'k2', 'k3', 'k4', 'k5']);
    expect(reports[0]).toMatchObject([{ unreadable: 0, problems: expect.arrayContaining(['1 duplicated record(s)']) }]);
  });

  it('two swapped records are detected and put back in the order they were written', () => {
    const { dir, key, file, bytes } = fiveChanges();
    const list = records(bytes);
    writeFileSync(file, withRecords(bytes, [list[0]!, list[2]!, list[1]!, list[3]!, list[4]!]));
    const { pending, reports } = reopen(dir, key);
    expect(pending).toEqual(['k1', 'k2', 'k3', 'k4', 'k5']);
    expect(reports[0]).toMatchObject([{ unreadable: 0, problems: expect.arrayContaining(['records out of order']) }]);
  });

  it('a record spliced in from another outbox of the same terminal is detected and not replayed', () => {
    const one = fiveChanges();
    const dir = path.join(root, 'other-outbox');
    const other = openOutbox(dir, one.key);
    other.append(entry('from-elsewhere'));
    other.close();
    const foreign = records(readFileSync(path.join(dir, 'outbox.log')))[0]!;
    const list = records(one.bytes);
    writeFileSync(one.file, withRecords(one.bytes, [list[0]!, foreign, ...list.slice(1)]));
    const { pending, reports } = reopen(one.dir, one.key);
    expect(pending).toEqual(['k1', 'k2', 'k3', 'k4', 'k5']);
    expect(reports[0]).toMatchObject([{ problems: expect.arrayContaining(['1 record(s) from another outbox file']) }]);
  });

  it('what the server already confirmed stays confirmed through a recovery: each change is replayed exactly once', () => {
    const { dir, key, file, bytes } = fiveChanges({ done: ['k1', 'k2'] });
    const altered = Buffer.from(bytes);
    flip(
      altered,
      4 +
        records(bytes)
          .slice(0, 3)
          .reduce((n, r) => n + r.length, 0) +
        40,
      0x80,
    ); // inside record 4
    writeFileSync(file, altered);
    const { pending, reports } = reopen(dir, key);
    expect(pending).toEqual(['k3', 'k5']);
    expect(reports[0]).toMatchObject([{ recovered: 4, unreadable: 1 }]);
  });

  it('a damaged list of confirmations is reported and kept aside; nothing confirmed is lost (the server answers a repeat from its record)', () => {
    const { dir, key } = fiveChanges({ done: ['k1', 'k2'] });
    const doneFile = path.join(dir, 'outbox.done');
    const altered = readFileSync(doneFile);
    flip(altered, altered.length - 2, 0x01); // the marker of k2
    writeFileSync(doneFile, altered);
    const { pending, reports } = reopen(dir, key);
    expect(pending).toEqual(['k2', 'k3', 'k4', 'k5']);
    expect(reports[0]).toMatchObject([{ file: 'outbox.done', unreadable: 1 }]);
  });

  it('if the damage cannot be reported, nothing is rebuilt: the damaged file stays exactly as it was', () => {
    const { dir, key, file, bytes } = fiveChanges();
    const altered = Buffer.from(bytes);
    flip(altered, 100, 0x01);
    writeFileSync(file, altered);
    expect(() =>
      openOutbox(dir, key, {
        onDamage: () => {
          throw new Error('disk full');
        },
      }),
    ).toThrow('disk full');
    expect(readFileSync(file)).toEqual(altered);
    expect(reopen(dir, key).reports).toHaveLength(1); // reported on the next open instead
    expect(readdirSync(dir).filter((f) => f.includes('damaged'))).toHaveLength(1); // the same bytes kept once
  });

  it('an outbox written in the first file form (before records were chained) is read and rewritten, nothing lost', () => {
    const dir = path.join(root, 'legacy');
    const key = randomBytes(32);
    const legacyRecord = (value: unknown) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from('clinic-outbox-v1'));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(12 + 16 + body.length);
      return Buffer.concat([length, iv, cipher.getAuthTag(), body]);
    };
    openOutbox(dir, key).close();
    writeFileSync(path.join(dir, 'outbox.log'), Buffer.concat([legacyRecord(entry('old-1')), legacyRecord(entry('old-2'))]));
    writeFileSync(path.join(dir, 'outbox.done'), legacyRecord({ key: 'old-1' }));
    const { pending, reports } = reopen(dir, key);
    expect(pending).toEqual(['old-2']);
    expect(reports).toEqual([]);
    expect(readFileSync(path.join(dir, 'outbox.log')).subarray(0, 4).toString()).toBe('CWO2');
    expect(existsSync(path.join(dir, 'outbox.log.tmp'))).toBe(false);
  });
});
