import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { associatedData, assertSealingKey, IV_BYTES, seal, TAG_BYTES, unseal } from './at-rest-seal.js';
import type { GenerationStore } from './generations.js';

/** What every sealed file of this terminal needs: the offline key, the keychain's generations, a log. */
export interface SealedFiles {
  key: Buffer;
  generations: GenerationStore;
  /** Told what was refused and why; never patient data. */
  log: (message: string) => void;
}

/** Each sealed file names what it is, so one cannot stand in for another. */
export type SealedPurpose = 'offline-users' | 'working-set' | 'attention' | 'ward-copy';

export type RefusalReason = 'damaged' | 'other-purpose' | 'older-copy' | 'unknown-generation' | 'keychain-unavailable' | 'removed';
export type SealedRead<T> =
  { status: 'ok'; value: T } | { status: 'missing' } | { status: 'refused'; reason: RefusalReason; keptAs: string | null };

const MAGIC = Buffer.from('CWS2');
const LEGACY_MAGIC = Buffer.from('CWS1');
const sealedAad = (purpose: string, generation: number) => associatedData('clinic-sealed-file', purpose, generation);

const REFUSALS: Record<RefusalReason, string> = {
  damaged: "it does not open with this terminal's key (damaged, altered, or from another terminal)",
  'other-purpose': 'it was sealed as another of the offline files',
  'older-copy': 'it is an older copy than the one this terminal last wrote',
  'unknown-generation': 'its generation is newer than the keychain knows',
  'keychain-unavailable': 'the keychain could not say which copy is current',
  removed: 'it is gone, though this terminal wrote it (the keychain holds its generation)',
};

/**
 * Writes `value` as JSON sealed to its purpose and a new generation, atomically (temp file, fsync,
 * rename, fsync of the folder), and only then moves the keychain's generation on. A crash between
 * the two leaves the file one generation ahead, which the next read accepts and settles.
 */
export function writeSealedJson(file: string, purpose: SealedPurpose, files: SealedFiles, value: unknown): number {
  assertSealingKey(files.key);
  const generation = (files.generations.current(purpose) ?? 0) + 1;
  const name = Buffer.from(purpose, 'utf8');
  const header = Buffer.alloc(MAGIC.length + 2 + name.length + 8);
  MAGIC.copy(header, 0);
  header.writeUInt16BE(name.length, MAGIC.length);
  name.copy(header, MAGIC.length + 2);
  header.writeBigUInt64BE(BigInt(generation), MAGIC.length + 2 + name.length);
  const sealed = seal(files.key, Buffer.from(JSON.stringify(value), 'utf8'), sealedAad(purpose, generation));
  const bytes = Buffer.concat([header, sealed.iv, sealed.tag, sealed.ciphertext]);
  writeAtomically(file, bytes);
  files.generations.settle(purpose, generation);
  return bytes.length;
}

/**
 * Reads a sealed file. Refused — and copied aside, never deleted — when it does not open, names
 * another purpose, or is not the generation the keychain expects (an older copy put back).
 */
export function readSealedJson<T>(file: string, purpose: SealedPurpose, files: SealedFiles): SealedRead<T> {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return missingOrRemoved(file, purpose, files);
  }
  const refuse = (reason: RefusalReason, detail = ''): SealedRead<T> => {
    const keptAs = keepAside(file, data, 'refused');
    files.log(
      `Offline file ${path.basename(file)} refused: ${REFUSALS[reason]}${detail}. Kept as ${keptAs ? path.basename(keptAs) : '(could not copy)'}; treated as damaged until it is next written.`,
    );
    return { status: 'refused', reason, keptAs };
  };
  let expected: number | null;
  try {
    expected = files.generations.current(purpose);
  } catch {
    return refuse('keychain-unavailable');
  }
  if (data.subarray(0, LEGACY_MAGIC.length).equals(LEGACY_MAGIC)) return readLegacy<T>(file, purpose, files, data, expected, refuse);
  const parsed = parseHeader(data);
  if (!parsed) return refuse('damaged');
  const plain = unseal(files.key, parsed.sealed, sealedAad(parsed.purpose, parsed.generation));
  if (!plain) return refuse('damaged');
  if (parsed.purpose !== purpose) return refuse('other-purpose', ` (sealed as ${parsed.purpose})`);
  const settled = expected ?? 0;
  if (parsed.generation < settled) return refuse('older-copy', ` (generation ${parsed.generation}, current ${settled})`);
  if (parsed.generation > settled + 1) return refuse('unknown-generation', ` (generation ${parsed.generation}, keychain ${settled})`);
  if (parsed.generation === settled + 1) {
    // Written, then a crash before the keychain moved on: this is the newest copy; settle it.
    try {
      files.generations.settle(purpose, parsed.generation);
    } catch {
      files.log(`Offline file ${path.basename(file)}: could not record its generation in the keychain; it is read as current.`);
    }
  }
  try {
    return { status: 'ok', value: JSON.parse(plain.toString('utf8')) as T };
  } catch {
    return refuse('damaged');
  }
}

/**
 * No file is "missing" only where none was ever written: once the keychain holds a generation for it,
 * deleting the file (to empty the inbox, or forget a lockout) is refused like putting back an older copy.
 */
function missingOrRemoved<T>(file: string, purpose: SealedPurpose, files: SealedFiles): SealedRead<T> {
  let expected: number | null;
  try {
    expected = files.generations.current(purpose);
  } catch {
    expected = -1;
  }
  if (expected === null) return { status: 'missing' };
  const reason: RefusalReason = expected === -1 ? 'keychain-unavailable' : 'removed';
  files.log(`Offline file ${path.basename(file)} refused: ${REFUSALS[reason]}. Treated as damaged until it is next written.`);
  return { status: 'refused', reason, keptAs: null };
}

/**
 * A file sealed before files had a purpose and a generation: read once, only while the keychain has
 * never recorded a generation for it, and rewritten at once in the current form.
 */
function readLegacy<T>(
  file: string,
  purpose: SealedPurpose,
  files: SealedFiles,
  data: Buffer,
  expected: number | null,
  refuse: (reason: RefusalReason) => SealedRead<T>,
): SealedRead<T> {
  if (expected !== null) return refuse('older-copy');
  const at = LEGACY_MAGIC.length;
  if (data.length < at + IV_BYTES + TAG_BYTES) return refuse('damaged');
  const plain = unseal(
    files.key,
    {
      iv: data.subarray(at, at + IV_BYTES),
      tag: data.subarray(at + IV_BYTES, at + IV_BYTES + TAG_BYTES),
      ciphertext: data.subarray(at + IV_BYTES + TAG_BYTES),
    },
    LEGACY_MAGIC,
  );
  if (!plain) return refuse('damaged');
  let value: T;
  try {
    value = JSON.parse(plain.toString('utf8')) as T;
  } catch {
    return refuse('damaged');
  }
  try {
    writeSealedJson(file, purpose, files, value);
  } catch {
    files.log(`Offline file ${path.basename(file)}: could not rewrite it in the current sealed form; it is read as it is.`);
  }
  return { status: 'ok', value };
}

function parseHeader(data: Buffer) {
  if (data.length < MAGIC.length + 2 || !data.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const nameLength = data.readUInt16BE(MAGIC.length);
  const at = MAGIC.length + 2 + nameLength + 8;
  if (nameLength > 64 || data.length < at + IV_BYTES + TAG_BYTES) return null;
  const generation = Number(data.readBigUInt64BE(MAGIC.length + 2 + nameLength));
  if (!Number.isSafeInteger(generation)) return null;
  return {
    purpose: data.subarray(MAGIC.length + 2, MAGIC.length + 2 + nameLength).toString('utf8'),
    generation,
    sealed: {
      iv: data.subarray(at, at + IV_BYTES),
      tag: data.subarray(at + IV_BYTES, at + IV_BYTES + TAG_BYTES),
      ciphertext: data.subarray(at + IV_BYTES + TAG_BYTES),
    },
  };
}

/** temp file, fsync, rename, fsync of the folder: a crash leaves the old file or the new one. */
export function writeAtomically(file: string, bytes: Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  fsyncDirectory(path.dirname(file));
}

export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Keeps the bytes of a file that could not be trusted beside it, as
 * `<name>.<label>-<UTC time>-<hash>.bin`; the same bytes are kept once, and nothing is ever deleted.
 * Returns the copy's path, or null if it could not be made.
 */
export function keepAside(file: string, data: Buffer, label: string, now = new Date()): string | null {
  const dir = path.dirname(file);
  const base = path.basename(file).replace(/\.bin$/, '');
  const hash = createHash('sha256').update(data).digest('hex').slice(0, 12);
  try {
    const already = readdirSync(dir).find((name) => name.startsWith(`${base}.${label}-`) && name.endsWith(`-${hash}.bin`));
    if (already) return path.join(dir, already);
    const stamp = now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const copy = path.join(dir, `${base}.${label}-${stamp}-${hash}.bin`);
    const fd = openSync(copy, 'wx', 0o600);
    try {
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    fsyncDirectory(dir);
    return copy;
  } catch {
    return null;
  }
}
