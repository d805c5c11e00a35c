// An in-memory stand-in for the OS keychain, for tests that are not about the keychain itself
// (tests/security/keychain.test.ts and tests/security/sealed-keychain.test.ts use the real one).
import { keychainGenerations } from '../../main/security/generations.js';
import type { SealedFiles } from '../../main/security/sealed-file.js';
import type { SecretStore } from '../../main/shared/secret-store.js';

export function memorySecretStore(): SecretStore & { secrets: Map<string, string> } {
  const secrets = new Map<string, string>();
  return { secrets, read: (account) => secrets.get(account) ?? null, save: (account, secret) => void secrets.set(account, secret) };
}

/** Sealing for a test: its key, generations in an in-memory keychain, and what was logged. */
export function testSealedFiles(key: Buffer, secrets: SecretStore = memorySecretStore()): SealedFiles & { logged: string[] } {
  const logged: string[] = [];
  return { key, generations: keychainGenerations(secrets), log: (message) => void logged.push(message), logged };
}
