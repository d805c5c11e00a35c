import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { assertSealingKey } from '../../security/at-rest-seal.js';
import { LOG_MAGIC, readLog, sealRecords, newChain, type Chain, type LogPurpose, type LogReading } from './outbox-log.js';
import { keepAside, writeAtomically } from '../../security/sealed-file.js';

/**
 * The durable, encrypted outbox a terminal writes changes to while the hospital database is
 * unreachable. Append-only; a change is acknowledged to the clerk only after its record is on disk
 * (fsync). Records are sealed and chained (outbox-log.ts): on the next open a torn tail — the one
 * write a crash cut short — is cut off; any other damage keeps the file aside, untouched, and the
 * outbox goes on from every record that could still be read, in its order, with the damage reported.
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

/** What was found wrong with one of the outbox's files when it was opened. */
export interface OutboxDamage {
  file: 'outbox.log' | 'outbox.done';
  /** The damaged file as it was, kept beside the outbox; null if it could not be copied. */
  keptAs: string | null;
  /** Records read from it and kept. */
  recovered: number;
  /** Records written to it that could not be read. */
  unreadable: number;
  /** False when damage past the last readable record hides how many ("at least"). */
  exact: boolean;
  problems: string[];
  /** Names this damage (a hash of the damaged bytes): the same damage found twice is one report. */
  fingerprint: string;
}

export interface OutboxOptions {
  /**
   * Told of damage after the damaged files are kept aside and before the outbox is rebuilt from
   * what could be read. It must record the report durably; if it throws, nothing is rebuilt and
   * the open fails, so the report cannot be lost by a crash.
   */
  onDamage?: (damage: OutboxDamage[]) => void;
  /** Told what happened, in words without content. */
  log?: (message: string) => void;
}

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

interface DoneMarker {
  key: string;
}

/** One append-only file of chained records, opened for appending after its last good byte. */
interface LogFile {
  fd: number;
  length: number;
  chain: Chain;
}

function openForAppend(file: string, goodLength: number, chain: Chain): LogFile {
  if (!existsSync(file)) writeAtomically(file, LOG_MAGIC);
  const fd = openSync(file, 'a+', 0o600);
  let length = fstatSync(fd).size;
  if (goodLength < LOG_MAGIC.length) {
    // Empty, or a header a crash cut short: nothing was ever acknowledged in it.
    if (length > 0) ftruncateSync(fd, 0);
    writeFully(fd, LOG_MAGIC);
    length = LOG_MAGIC.length;
  } else if (goodLength < length) {
    ftruncateSync(fd, goodLength); // the torn tail of a write a crash cut short: it was never acknowledged
    fsyncSync(fd);
    length = goodLength;
  }
  return { fd, length, chain };
}

function writeFully(fd: number, bytes: Buffer): void {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
  fsyncSync(fd);
}

/** Appends durably; a write that fails is cut back off, so the file never holds half a record mid-file. */
function appendRecords(file: LogFile, bytes: Buffer, chain: Chain): void {
  try {
    writeFully(file.fd, bytes);
  } catch (error) {
    try {
      ftruncateSync(file.fd, file.length);
    } catch {
      // The next open finds the half record as a torn tail.
    }
    throw error;
  }
  file.length += bytes.length;
  file.chain = chain;
}

/** Opens (or creates) the outbox in `dir`: cuts a torn tail, keeps damage aside and reports it. */
export function openOutbox(dir: string, key: Buffer, options: OutboxOptions = {}): Outbox {
  assertSealingKey(key);
  const log = options.log ?? (() => undefined);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const logPath = path.join(dir, 'outbox.log');
  const donePath = path.join(dir, 'outbox.done');
  const read = <T>(file: string, purpose: LogPurpose) => {
    const data = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
    return { data, reading: readLog<T>(key, purpose, data) };
  };
  const logged = read<OutboxEntry>(logPath, 'outbox');
  const done = read<DoneMarker>(donePath, 'outbox-done');
  const entries = logged.reading.entries;
  const doneKeys = new Set(done.reading.entries.map((m) => m.key));

  let logFile: LogFile;
  let doneFile: LogFile;
  if (logged.reading.intact && done.reading.intact && !logged.reading.legacy && !done.reading.legacy) {
    logFile = openForAppend(logPath, logged.reading.goodLength, logged.reading.chain);
    doneFile = openForAppend(donePath, done.reading.goodLength, done.reading.chain);
  } else {
    const damage = [report('outbox.log', logPath, logged), report('outbox.done', donePath, done)].filter(
      (d): d is OutboxDamage => d !== null,
    );
    for (const d of damage) {
      log(
        `Outbox file ${d.file} was damaged (${d.problems.join('; ')}): ${d.recovered} record(s) read and kept, ${d.exact ? '' : 'at least '}${d.unreadable} could not be read. The file as it was is kept as ${d.keptAs ? path.basename(d.keptAs) : '(could not copy)'}.`,
      );
    }
    if (damage.length > 0) options.onDamage?.(damage);
    else log('Outbox written in the first file form: rewritten in the chained form.');
    // Rebuilt from what could be read, as a compaction would: what the server confirmed is left out.
    const keep = entries.filter((e) => !doneKeys.has(e.key));
    entries.splice(0, entries.length, ...keep);
    doneKeys.clear();
    logFile = rewrite(logPath, 'outbox', keep);
    doneFile = rewrite(donePath, 'outbox-done', []);
  }

  function report<T>(
    file: OutboxDamage['file'],
    filePath: string,
    { data, reading }: { data: Buffer; reading: LogReading<T> },
  ): OutboxDamage | null {
    if (reading.intact) return null;
    return {
      file,
      keptAs: keepAside(filePath, data, 'damaged'),
      recovered: reading.entries.length,
      unreadable: reading.unreadable,
      exact: reading.exact,
      problems: reading.problems,
      fingerprint: createHash('sha256').update(data).digest('hex').slice(0, 16),
    };
  }

  function rewrite(file: string, purpose: LogPurpose, payloads: unknown[]): LogFile {
    const sealed = sealRecords(key, purpose, newChain(), payloads);
    writeAtomically(file, Buffer.concat([LOG_MAGIC, sealed.bytes]));
    const fd = openSync(file, 'a+', 0o600);
    return { fd, length: fstatSync(fd).size, chain: sealed.chain };
  }

  return {
    append(entry) {
      const sealed = sealRecords(key, 'outbox', logFile.chain, [entry]);
      appendRecords(logFile, sealed.bytes, sealed.chain);
      entries.push(entry);
    },
    pending: () => entries.filter((e) => !doneKeys.has(e.key)),
    markDone(keys) {
      if (keys.length === 0) return;
      const sealed = sealRecords(
        key,
        'outbox-done',
        doneFile.chain,
        keys.map((k) => ({ key: k }) satisfies DoneMarker),
      );
      appendRecords(doneFile, sealed.bytes, sealed.chain);
      for (const k of keys) doneKeys.add(k);
    },
    compact() {
      const keep = entries.filter((e) => !doneKeys.has(e.key));
      const oldLog = logFile.fd;
      logFile = rewrite(logPath, 'outbox', keep);
      closeSync(oldLog);
      entries.splice(0, entries.length, ...keep);
      // The done markers now refer to nothing in the log; a crash before this line leaves harmless ones.
      const oldDone = doneFile.fd;
      doneFile = rewrite(donePath, 'outbox-done', []);
      closeSync(oldDone);
      doneKeys.clear();
    },
    close() {
      closeSync(logFile.fd);
      closeSync(doneFile.fd);
    },
  };
}
