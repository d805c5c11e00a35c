import type { SecretStore } from '../shared/secret-store.js';

/**
 * The generation of each sealed file, kept in the OS keychain beside the offline key: a copy of a
 * file from before its last write carries an older number and is refused. The file system alone
 * cannot say which copy is the newest; the keychain can, since an attacker with a copy of the
 * files has no write to it.
 */
export interface GenerationStore {
  /** The last generation settled for this purpose; null when none was ever written. Throws when the keychain fails. */
  current(purpose: string): number | null;
  /** Records that the file of this purpose now has this generation. Throws when the keychain fails. */
  settle(purpose: string, generation: number): void;
}

export const generationAccount = (purpose: string) => `offline-generation:${purpose}`;

export function keychainGenerations(secrets: SecretStore): GenerationStore {
  return {
    current(purpose) {
      const stored = secrets.read(generationAccount(purpose));
      if (stored === null) return null;
      const generation = Number(stored);
      if (!Number.isSafeInteger(generation) || generation < 0) throw new Error(`The keychain holds no valid generation for ${purpose}.`);
      return generation;
    },
    settle(purpose, generation) {
      secrets.save(generationAccount(purpose), String(generation));
    },
  };
}
