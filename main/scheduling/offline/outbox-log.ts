import { randomBytes } from 'node:crypto';
import { associatedData, IV_BYTES, seal, TAG_BYTES, unseal } from '../../security/at-rest-seal.js';

/**
 * The outbox's record format and how a file of records is read back.
 *
 * File: "CWO2", then records. Record: [u32 n][u32 ~n] then n bytes:
 * [16 file id][u32 sequence][16 previous record's tag][12 IV][ciphertext][16 GCM tag].
 * The file id, sequence and previous tag are in the clear but authenticated (associated data, with
 * the file's purpose), so each record says where it belongs: removal leaves a gap in the sequence,
 * duplication repeats a number, reordering breaks the order, a record from another file names
 * another id — and the true order is still known. The length is written twice so a damaged length
 * is told apart from a torn tail.
 */
export const LOG_MAGIC = Buffer.from('CWO2');
export type LogPurpose = 'outbox' | 'outbox-done';

const FRAME = 8;
const FILE_ID = 16;
const SEQUENCE = 4;
const BODY_OVERHEAD = FILE_ID + SEQUENCE + TAG_BYTES + IV_BYTES + TAG_BYTES;
const MAX_BODY = 1024 * 1024;

/** Where the next record goes: the file's id, the last sequence number, the last record's tag. */
export interface Chain {
  fileId: Buffer;
  sequence: number;
  lastTag: Buffer;
}

/** A fresh chain: the first record's "previous tag" is the file's id. */
export function newChain(): Chain {
  const fileId = randomBytes(FILE_ID);
  return { fileId, sequence: 0, lastTag: fileId };
}

const recordAad = (purpose: LogPurpose, fileId: Buffer, sequence: number, previousTag: Buffer) =>
  associatedData('clinic-outbox-record', purpose, fileId, sequence, previousTag);

/** Seals one record after `chain`; returns its bytes and the chain after it. */
export function sealRecord(key: Buffer, purpose: LogPurpose, chain: Chain, payload: unknown): { bytes: Buffer; chain: Chain } {
  const sequence = chain.sequence + 1;
  const sealed = seal(key, Buffer.from(JSON.stringify(payload), 'utf8'), recordAad(purpose, chain.fileId, sequence, chain.lastTag));
  const length = BODY_OVERHEAD + sealed.ciphertext.length;
  if (length > MAX_BODY) throw new Error('An outbox record may not exceed 1 MiB.');
  const head = Buffer.alloc(FRAME + FILE_ID + SEQUENCE);
  head.writeUInt32BE(length, 0);
  head.writeUInt32BE(~length >>> 0, 4);
  chain.fileId.copy(head, FRAME);
  head.writeUInt32BE(sequence, FRAME + FILE_ID);
  return {
    bytes: Buffer.concat([head, chain.lastTag, sealed.iv, sealed.ciphertext, sealed.tag]),
    chain: { fileId: chain.fileId, sequence, lastTag: sealed.tag },
  };
}

export function sealRecords(key: Buffer, purpose: LogPurpose, chain: Chain, payloads: unknown[]): { bytes: Buffer; chain: Chain } {
  const parts: Buffer[] = [];
  let next = chain;
  for (const payload of payloads) {
    const record = sealRecord(key, purpose, next, payload);
    parts.push(record.bytes);
    next = record.chain;
  }
  return { bytes: Buffer.concat(parts), chain: next };
}

export interface LogReading<T> {
  /** Every record that could be read and belongs to this file, in the order it was written. */
  entries: T[];
  /** Where the next record goes (for an intact file). */
  chain: Chain;
  /** Nothing wrong but perhaps a torn tail. */
  intact: boolean;
  /** Bytes worth keeping: where a torn tail begins, or the file's length. */
  goodLength: number;
  /** Records written here that cannot be read back. */
  unreadable: number;
  /** False when damage after the last readable record hides how many records it held ("at least"). */
  exact: boolean;
  /** What was wrong, in words without content, for the log. */
  problems: string[];
  /** Written in the first form (one fixed associated data, no chain): to be rewritten. */
  legacy: boolean;
}

interface Found<T> {
  offset: number;
  fileId: Buffer;
  sequence: number;
  previousTag: Buffer;
  tag: Buffer;
  payload: T;
}

/** The framed length at `offset`, when its two copies agree and it fits the format. */
function framedLength(data: Buffer, offset: number): number | null {
  if (offset + FRAME > data.length) return null;
  const length = data.readUInt32BE(offset);
  if (~length >>> 0 !== data.readUInt32BE(offset + 4) || length < BODY_OVERHEAD || length > MAX_BODY) return null;
  return length;
}

function openAt<T>(key: Buffer, purpose: LogPurpose, data: Buffer, offset: number, length: number): Found<T> | null {
  const body = data.subarray(offset + FRAME, offset + FRAME + length);
  const fileId = body.subarray(0, FILE_ID);
  const sequence = body.readUInt32BE(FILE_ID);
  const previousTag = body.subarray(FILE_ID + SEQUENCE, FILE_ID + SEQUENCE + TAG_BYTES);
  const ivAt = FILE_ID + SEQUENCE + TAG_BYTES;
  const tag = body.subarray(body.length - TAG_BYTES);
  const plain = unseal(
    key,
    { iv: body.subarray(ivAt, ivAt + IV_BYTES), ciphertext: body.subarray(ivAt + IV_BYTES, body.length - TAG_BYTES), tag },
    recordAad(purpose, fileId, sequence, previousTag),
  );
  if (!plain) return null;
  try {
    return {
      offset,
      fileId: Buffer.from(fileId),
      sequence,
      previousTag: Buffer.from(previousTag),
      tag: Buffer.from(tag),
      payload: JSON.parse(plain.toString('utf8')) as T,
    };
  } catch {
    return null;
  }
}

/** The whole record at `at`, if one opens there. */
function readableAt<T>(key: Buffer, purpose: LogPurpose, data: Buffer, at: number): Found<T> | null {
  const length = framedLength(data, at);
  return length === null || at + FRAME + length > data.length ? null : openAt<T>(key, purpose, data, at, length);
}

/** The first offset from `from` on where a whole record opens, or null: one pass, each offset tried once. */
function nextReadable<T>(key: Buffer, purpose: LogPurpose, data: Buffer, from: number): Found<T> | null {
  for (let at = from; at + FRAME + BODY_OVERHEAD <= data.length; at += 1) {
    const found = readableAt<T>(key, purpose, data, at);
    if (found) return found;
  }
  return null;
}

const allZero = (data: Buffer, from: number) => data.subarray(from).every((b) => b === 0);

interface Damaged {
  offset: number;
  /** How many records the stretch held, as far as their lengths tell. */
  records: number;
  /** False when the lengths do not account for the whole stretch ("at least"). */
  exact: boolean;
}

function damagedStretch(data: Buffer, from: number, end: number): Damaged {
  let records = 0;
  let at = from;
  for (let length = framedLength(data, at); length !== null && at + FRAME + length <= end; length = framedLength(data, at)) {
    records += 1;
    at += FRAME + length;
  }
  return at === end && records > 0 ? { offset: from, records, exact: true } : { offset: from, records: records + 1, exact: false };
}

/**
 * Reads every record that opens, wherever it is, and says what is wrong. Only a torn tail — the
 * last record cut short, with nothing readable inside it, or a tail of zero bytes a power cut can
 * leave — is treated as never written; anything else is damage, reported and counted.
 */
export function readLog<T>(key: Buffer, purpose: LogPurpose, data: Buffer): LogReading<T> {
  if (data.length === 0 || (data.length < LOG_MAGIC.length && LOG_MAGIC.subarray(0, data.length).equals(data))) {
    return { entries: [], chain: newChain(), intact: true, goodLength: 0, unreadable: 0, exact: true, problems: [], legacy: false };
  }
  const problems: string[] = [];
  const headerOk = data.subarray(0, LOG_MAGIC.length).equals(LOG_MAGIC);
  if (!headerOk) {
    const legacy = readLegacyLog<T>(key, data);
    if (legacy) return legacy;
    problems.push('the file header is damaged');
  }

  const found: Found<T>[] = [];
  const damaged: Damaged[] = [];
  let offset = headerOk ? LOG_MAGIC.length : 0;
  let goodLength = data.length;
  while (offset < data.length) {
    if (allZero(data, offset)) {
      goodLength = offset; // a power cut can leave the file longer than what was written
      break;
    }
    const length = framedLength(data, offset);
    const whole = length !== null && offset + FRAME + length <= data.length;
    const record = whole ? openAt<T>(key, purpose, data, offset, length) : null;
    if (record) {
      found.push(record);
      offset += FRAME + length!;
      continue;
    }
    // Not a whole record that opens. Torn only if it is the last thing in the file: cut short, nothing readable after it.
    const next =
      (whole ? readableAt<T>(key, purpose, data, offset + FRAME + length!) : null) ?? nextReadable<T>(key, purpose, data, offset + 1);
    if (!next && !whole && (length !== null || data.length - offset < FRAME)) {
      goodLength = offset;
      break;
    }
    damaged.push(damagedStretch(data, offset, next?.offset ?? data.length));
    if (!next) break;
    offset = next.offset;
  }

  // The file's own records: those with its id (the id of record 1, or of most records).
  const counts = new Map<string, number>();
  for (const r of found) counts.set(r.fileId.toString('hex'), (counts.get(r.fileId.toString('hex')) ?? 0) + 1);
  const first = found.find((r) => r.sequence === 1);
  const fileIdHex = first?.fileId.toString('hex') ?? [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const own = found.filter((r) => r.fileId.toString('hex') === fileIdHex);
  if (own.length < found.length) problems.push(`${found.length - own.length} record(s) from another outbox file`);

  const bySequence = new Map<number, Found<T>>();
  let duplicates = 0;
  let outOfOrder = false;
  let previous = 0;
  for (const r of own) {
    if (bySequence.has(r.sequence)) duplicates += 1;
    else bySequence.set(r.sequence, r);
    if (r.sequence <= previous) outOfOrder = true;
    previous = Math.max(previous, r.sequence);
  }
  if (duplicates > 0) problems.push(`${duplicates} duplicated record(s)`);
  if (outOfOrder) problems.push('records out of order');
  const ordered = [...bySequence.values()].sort((a, b) => a.sequence - b.sequence);
  const last = ordered.at(-1);
  const missing = (last?.sequence ?? 0) - ordered.length;
  if (missing > 0) problems.push(`${missing} record(s) missing from the sequence`);
  let brokenLinks = 0;
  for (const [i, r] of ordered.entries()) {
    const before = i === 0 ? null : ordered[i - 1]!;
    if (r.sequence === 1 && !r.previousTag.equals(r.fileId)) brokenLinks += 1;
    if (before && before.sequence === r.sequence - 1 && !r.previousTag.equals(before.tag)) brokenLinks += 1;
  }
  if (brokenLinks > 0) problems.push(`${brokenLinks} broken link(s) in the chain`);

  // Damage after the file's last readable record held records no sequence number accounts for.
  const lastOffset = Math.max(-1, ...own.map((r) => r.offset));
  const trailing = damaged.filter((d) => d.offset > lastOffset);
  if (damaged.length > 0) problems.push(`${damaged.length} damaged stretch(es) that do not open`);

  return {
    entries: ordered.map((r) => r.payload),
    chain: last ? { fileId: last.fileId, sequence: last.sequence, lastTag: last.tag } : newChain(),
    intact: problems.length === 0,
    goodLength,
    unreadable: missing + trailing.reduce((sum, d) => sum + d.records, 0),
    exact: trailing.every((d) => d.exact),
    problems,
    legacy: false,
  };
}

/**
 * The first form ([u32 length][IV][tag][ciphertext], one fixed associated data): read up to the
 * first record that does not open. Null when the file is not in that form.
 */
function readLegacyLog<T>(key: Buffer, data: Buffer): LogReading<T> | null {
  const AAD = Buffer.from('clinic-outbox-v1');
  const entries: T[] = [];
  let offset = 0;
  let torn = false;
  let damaged = false;
  while (offset < data.length) {
    if (offset + 4 > data.length) {
      torn = true;
      break;
    }
    const length = data.readUInt32BE(offset);
    if (length < IV_BYTES + TAG_BYTES || length > MAX_BODY) {
      damaged = true;
      break;
    }
    if (offset + 4 + length > data.length) {
      torn = true;
      break;
    }
    const record = data.subarray(offset + 4, offset + 4 + length);
    const plain = unseal(
      key,
      {
        iv: record.subarray(0, IV_BYTES),
        tag: record.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
        ciphertext: record.subarray(IV_BYTES + TAG_BYTES),
      },
      AAD,
    );
    if (!plain) {
      damaged = true;
      break;
    }
    entries.push(JSON.parse(plain.toString('utf8')) as T);
    offset += 4 + length;
  }
  if (entries.length === 0) return null; // not this form (or nothing of it opens): read as the current form
  return {
    entries,
    chain: newChain(),
    intact: !damaged,
    goodLength: torn ? offset : data.length,
    unreadable: damaged ? 1 : 0,
    exact: !damaged,
    problems: damaged ? ['a record of the first file form does not open; those after it are not read'] : [],
    legacy: true,
  };
}
