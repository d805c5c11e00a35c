import { Entry } from '@napi-rs/keyring';

const SERVICE = 'clinic-workstation';

// On Linux the binding would silently fall back to the kernel keyring, which forgets everything at
// reboot (the embedded database's password with it). Require the Secret Service instead.
const entry = (account: string) => new Entry(SERVICE, account, { linux: { store: 'secret-service' } });

export class KeychainUnavailable extends Error {
  constructor(cause: unknown) {
    super('This computer has no secure credential store available, so the password was not saved.', { cause });
    this.name = 'KeychainUnavailable';
  }
}

/** Passwords live only in the OS keychain. There is deliberately no plaintext fallback. */
export function readSecret(account: string): string | null {
  try {
    return entry(account).getPassword() ?? null;
  } catch (error) {
    throw new KeychainUnavailable(error);
  }
}

export function saveSecret(account: string, secret: string): void {
  try {
    entry(account).setPassword(secret);
  } catch (error) {
    throw new KeychainUnavailable(error);
  }
  // Read back: some stores accept a write and then do not keep it (locked collection).
  if (readSecret(account) !== secret) throw new KeychainUnavailable(new Error('stored secret did not read back'));
}

export function deleteSecret(account: string): void {
  try {
    entry(account).deletePassword();
  } catch {
    // Nothing stored is the same as deleted.
  }
}
