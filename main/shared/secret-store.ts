/** Where the secrets come from: the OS keychain in the app (config/keychain.ts), an in-memory store in tests. */
export interface SecretStore {
  read(account: string): string | null;
  save(account: string, secret: string): void;
}
