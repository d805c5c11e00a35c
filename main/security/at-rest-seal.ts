import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The one AES-256-GCM sealing of this terminal's files at rest (outbox records and sealed files).
 * What a sealed thing is bound to — its purpose, its place in a chain, its generation — goes in the
 * associated data, so a copy presented as something else, or from elsewhere, does not open.
 */
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

export function assertSealingKey(key: Buffer): void {
  if (key.length !== 32) throw new Error('The offline key must be 32 bytes (AES-256).');
}

/** Associated data from labelled parts, each length-prefixed so no two lists encode alike. */
export function associatedData(...parts: (string | number | Buffer)[]): Buffer {
  return Buffer.concat(
    parts.flatMap((part) => {
      const bytes = Buffer.isBuffer(part) ? part : Buffer.from(typeof part === 'number' ? `#${part}` : part, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return [length, bytes];
    }),
  );
}

export interface Sealed {
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Sealed {
  assertSealingKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

/** The plaintext, or null when the key, the associated data or any byte does not match. */
export function unseal(key: Buffer, sealed: Sealed, aad: Buffer): Buffer | null {
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    return null;
  }
}
