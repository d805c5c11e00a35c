import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, existsSync, ftruncateSync, writeSync, renameSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The durable, encrypted outbox a terminal writes changes to while the hospital database is
 * unreachable. Append-only; a change is acknowledged to the clerk only after its record is on disk
 * (fsync). Each record is sealed with AES-256-GCM, so a torn or tampered tail is detected and cut
 * off on the next open instead of being read as a change.
 *
 * Record layout: [u32 length of the rest][12-byte IV][16-byte GCM tag][ciphertext of JSON].
 */
export interface OutboxEntry {
  /** Idempotency key: the server stores key → result, so a replayed change applies once. */
  key: string;
  userId: string;
  createdAt: string;
  channel: string;
  input: unknown;
  /** Keys of earlier entries this one needs first (a booking for a walk-in registered offline). */
  dependsOn: string[];
  /** Who made it, for the Needs-attention inbox (the id above is what counts). */
  userName?: string;
  /** The negative id this terminal gave the walk-in or booking this change created. */
  provisionalId?: number;
  /** The walk-in registration (its key) whose server id replaces `input.patientId`. */
  patientFrom?: string;
  /** The offline booking (its key) whose server id replaces `input.appointmentId`. */
  appointmentFrom?: string;
}

const HEADER = 4;
const IV = 12;
const TAG = 16;
const AAD = Buffer.from('clinic-outbox-v1');
const MAX_RECORD = 1024 * 1024;

function seal(key: Buffer, entry: OutboxEntry): Buffer {
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(JSON.stringify(entry), 'utf8'), cipher.final()]);
  const record = Buffer.alloc(HEADER + IV + TAG + body.length);
  record.writeUInt32BE(IV + TAG + body.length, 0);
  iv.copy(record, HEADER);
  cipher.getAuthTag().copy(record, HEADER + IV);
  body.copy(record, HEADER + IV + TAG);
  return record;
}

function open(key: Buffer, record: Buffer): OutboxEntry | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, record.subarray(0, IV));
    decipher.setAAD(AAD);
    decipher.setAuthTag(record.subarray(IV, IV + TAG));
    const json = Buffer.concat([decipher.update(record.subarray(IV + TAG)), decipher.final()]).toString('utf8');
    return JSON.parse(json) as OutboxEntry;
  } catch {
    return null;
  }
}

/** Reads every whole, authentic record; returns them and the byte length they end at. */
function readRecords(key: Buffer, data: Buffer): { entries: OutboxEntry[]; goodLength: number } {
  const entries: OutboxEntry[] = [];
  let offset = 0;
  while (offset + HEADER <= data.length) {
    const length = data.readUInt32BE(offset);
    if (length < IV + TAG || length > MAX_RECORD || offset + HEADER + length > data.length) break; // torn tail
    const entry = open(key, data.subarray(offset + HEADER, offset + HEADER + length));
    if (!entry) break; // a record that does not authenticate: nothing after it is trusted
    entries.push(entry);
    offset += HEADER + length;
  }
  return { entries, goodLength: offset };
}

const fsyncDirectory = (dir: string) => {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

export interface Outbox {
  /** Writes and fsyncs; when this returns, the change survives a crash or power cut. */
  append(entry: OutboxEntry): void;
  /** Entries not yet confirmed by the server, oldest first. */
  pending(): OutboxEntry[];
  /** Records that the server has the result for these keys (durably, like append). */
  markDone(keys: string[]): void;
  /** Rewrites the log with only the pending entries (atomic rename). */
  compact(): void;
  close(): void;
}

/** Opens (or creates) the outbox in `dir`, cutting off any torn tail a crash left behind. */
export function openOutbox(dir: string, key: Buffer): Outbox {
  if (key.length !== 32) throw new Error('The outbox key must be 32 bytes (AES-256).');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const logPath = path.join(dir, 'outbox.log');
  const donePath = path.join(dir, 'outbox.done');
  const created = !existsSync(logPath);

  const recover = (file: string) => {
    const data = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
    const { entries, goodLength } = readRecords(key, data);
    const fd = openSync(file, 'a+', 0o600);
    if (goodLength < data.length) {
      ftruncateSync(fd, goodLength);
      fsyncSync(fd);
    }
    return { entries, fd };
  };

  let log = recover(logPath);
  const done = recover(donePath);
  if (created) fsyncDirectory(dir);
  const entries = log.entries;
  const doneKeys = new Set(done.entries.map((e) => e.key));

  const write = (fd: number, record: Buffer) => {
    let written = 0;
    while (written < record.length) written += writeSync(fd, record, written, record.length - written);
    fsyncSync(fd);
  };

  return {
    append(entry) {
      write(log.fd, seal(key, entry));
      entries.push(entry);
    },
    pending: () => entries.filter((e) => !doneKeys.has(e.key)),
    markDone(keys) {
      if (keys.length === 0) return;
      const at = new Date().toISOString();
      write(done.fd, Buffer.concat(keys.map((k) => seal(key, { key: k, userId: '', createdAt: at, channel: 'outbox/done', input: null, dependsOn: [] }))));
      for (const k of keys) doneKeys.add(k);
    },
    compact() {
      const keep = entries.filter((e) => !doneKeys.has(e.key));
      const temp = `${logPath}.tmp`;
      const fd = openSync(temp, 'w', 0o600);
      write(fd, Buffer.concat(keep.map((e) => seal(key, e))));
      closeSync(fd);
      closeSync(log.fd);
      renameSync(temp, logPath);
      fsyncDirectory(dir);
      log = { entries: keep, fd: openSync(logPath, 'a+', 0o600) };
      entries.splice(0, entries.length, ...keep);
      // The done markers now refer to nothing in the log; a crash before this line leaves harmless ones.
      ftruncateSync(done.fd, 0);
      fsyncSync(done.fd);
      doneKeys.clear();
    },
    close() {
      closeSync(log.fd);
      closeSync(done.fd);
    },
  };
}
