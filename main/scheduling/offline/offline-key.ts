import { randomBytes } from 'node:crypto';
import type { SecretStore } from '../../shared/secret-store.js';

/**
 * Keychain account of the key that seals this terminal's outbox, working set, inbox and offline sign-ins.
 * Beside it in the keychain: each sealed file's generation (generations.ts), so an older copy is refused.
 */
export const OFFLINE_STORE_KEY = 'offline-store-key';

/**
 * This terminal's offline key from the OS keychain, made on first use. Null when the keychain
 * cannot be used: the terminal then works online only rather than keep patient data unsealed.
 */
export function offlineStoreKey(secrets: SecretStore, log: (message: string, error: unknown) => void): Buffer | null {
  try {
    let secret = secrets.read(OFFLINE_STORE_KEY);
    if (!secret) {
      secret = randomBytes(32).toString('base64');
      secrets.save(OFFLINE_STORE_KEY, secret);
    }
    const key = Buffer.from(secret, 'base64');
    if (key.length !== 32) throw new Error('The offline key in the keychain is not 32 bytes.');
    return key;
  } catch (error) {
    log('No offline key from the keychain: this terminal works online only', error);
    return null;
  }
}
