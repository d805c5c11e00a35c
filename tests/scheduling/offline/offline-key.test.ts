// The offline store's key: made once in the OS keychain and reused; a broken keychain means no
// offline work (never an unsealed store). Not real here: the secret store is in memory — the real
// keychain has its own test (keychain.test.ts) under gnome-keyring.
import { describe, expect, it } from 'vitest';
import { OFFLINE_STORE_KEY, offlineStoreKey } from '../../../main/scheduling/offline/offline-key.js';

const memory = () => {
  const secrets = new Map<string, string>();
  return { secrets, store: { read: (a: string) => secrets.get(a) ?? null, save: (a: string, s: string) => void secrets.set(a, s) } };
};

describe('offline store key', () => {
  it('is made once (32 random bytes) and then read back the same', () => {
    const { secrets, store } = memory();
    const first = offlineStoreKey(store, () => undefined);
    expect(first).toHaveLength(32);
    expect(secrets.has(OFFLINE_STORE_KEY)).toBe(true);
    expect(offlineStoreKey(store, () => undefined)!.equals(first!)).toBe(true);
  });

  it('gives no key (so no offline work) when the keychain fails or holds a wrong-sized key', () => {
    const logged: string[] = [];
    const broken = {
      read: () => {
        throw new Error('no secret service');
      },
      save: () => undefined,
    };
    expect(offlineStoreKey(broken, (m) => logged.push(m))).toBeNull();
    const { secrets, store } = memory();
    secrets.set(OFFLINE_STORE_KEY, Buffer.alloc(16).toString('base64'));
    expect(offlineStoreKey(store, (m) => logged.push(m))).toBeNull();
    expect(logged).toHaveLength(2);
  });
});
