import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const MAGIC = Buffer.from('CWS1');
const IV = 12;
const TAG = 16;

/**
 * Writes `value` as JSON sealed with AES-256-GCM, atomically: a crash leaves the old file or the new
 * one, never half of either (temp file, fsync, rename, fsync of the folder).
 */
export function writeSealedJson(file: string, key: Buffer, value: unknown): number {
  if (key.length !== 32) throw new Error('The key must be 32 bytes (AES-256).');
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(MAGIC);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const sealed = Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
  const temp = `${file}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    let written = 0;
    while (written < sealed.length) written += writeSync(fd, sealed, written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  const dir = openSync(path.dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
  return sealed.length;
}

/** Reads a sealed file; null when it is missing, was written with another key, or was altered. */
export function readSealedJson<T>(file: string, key: Buffer): T | null {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return null;
  }
  if (data.length < MAGIC.length + IV + TAG || !data.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(MAGIC.length, MAGIC.length + IV));
    decipher.setAAD(MAGIC);
    decipher.setAuthTag(data.subarray(MAGIC.length + IV, MAGIC.length + IV + TAG));
    const json = Buffer.concat([decipher.update(data.subarray(MAGIC.length + IV + TAG)), decipher.final()]).toString('utf8');
    return JSON.parse(json) as T;
  } catch {
    return null;
  }
}
