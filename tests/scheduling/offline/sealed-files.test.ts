// Every sealed file of a terminal (offline sign-ins and their lockout, the working set, the
// Needs-attention inbox) is bound to its purpose and to a generation kept in the keychain: an
// older copy put back, or one file presented as another, is refused, kept aside (never deleted)
// and treated as damaged. Not real here: the keychain is an in-memory secret store (the real one:
// offline-sealed-keychain.test.ts under gnome-keyring).
import { createCipheriv, randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { noticeItem, openAttentionStore } from '../../../main/scheduling/offline/attention.js';
import { readSealedJson, writeSealedJson } from '../../../main/security/sealed-file.js';
import { loadWorkingSet, saveWorkingSet, type WorkingSet } from '../../../main/scheduling/offline/working-set.js';
import { memorySecretStore, testSealedFiles } from '../../support/memory-secrets.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'sealed-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const folder = () => mkdtempSync(path.join(root, 'terminal-'));
const set = (label: string): WorkingSet => ({
  id: label,
  builtAt: new Date(0).toISOString(),
  from: '2026-11-02',
  days: 15,
  doctors: [],
  appointments: [],
  patients: [],
});
const kept = (dir: string, name: string) => readdirSync(dir).filter((f) => f.startsWith(`${name}.refused-`));

describe('sealed files at rest', () => {
  it('an older copy of the working set is refused and kept aside', () => {
    const dir = folder();
    const files = testSealedFiles(randomBytes(32));
    saveWorkingSet(dir, files, set('monday'));
    const older = readFileSync(path.join(dir, 'working-set.bin'));
    saveWorkingSet(dir, files, set('tuesday'));
    expect(loadWorkingSet(dir, files)?.id).toBe('tuesday');
    writeFileSync(path.join(dir, 'working-set.bin'), older);
    expect(loadWorkingSet(dir, files)).toBeNull();
    expect(kept(dir, 'working-set')).toHaveLength(1);
    expect(readFileSync(path.join(dir, kept(dir, 'working-set')[0]!))).toEqual(older);
    expect(files.logged.join('\n')).toMatch(/working-set\.bin refused: it is an older copy .*generation 1, current 2/);
  });

  it('an older copy of the Needs-attention inbox is refused: the inbox says so instead of silently losing items', () => {
    const dir = folder();
    const files = testSealedFiles(randomBytes(32));
    const at = new Date(Date.UTC(2026, 10, 2, 9));
    const inbox = openAttentionStore(dir, files, () => at);
    inbox.record([noticeItem('first', at, 'First item', 'reason')], {});
    copyFileSync(path.join(dir, 'attention.bin'), path.join(root, 'attention-older.bin'));
    inbox.record([noticeItem('second', at, 'Second item', 'reason')], {});
    copyFileSync(path.join(root, 'attention-older.bin'), path.join(dir, 'attention.bin'));

    const reopened = openAttentionStore(dir, files, () => at);
    expect(reopened.items().map((s) => s.item)).toMatchObject([
      {
        summary: 'The Needs-attention list of this terminal could not be read',
        reason: expect.stringContaining('older copy'),
        fixes: ['discard'],
      },
    ]);
    expect(kept(dir, 'attention')).toHaveLength(1);
    // The notice itself is written at once: the next start shows it too, once.
    expect(openAttentionStore(dir, files, () => at).items()).toHaveLength(1);
  });

  it('a file sealed for one purpose is refused when presented as another', () => {
    const dir = folder();
    const files = testSealedFiles(randomBytes(32));
    saveWorkingSet(dir, files, set('monday'));
    writeSealedJson(path.join(dir, 'offline-users.bin'), 'offline-users', files, []);
    copyFileSync(path.join(dir, 'working-set.bin'), path.join(dir, 'offline-users.bin'));
    expect(readSealedJson(path.join(dir, 'offline-users.bin'), 'offline-users', files)).toMatchObject({
      status: 'refused',
      reason: 'other-purpose',
    });
    copyFileSync(path.join(dir, 'offline-users.bin'), path.join(dir, 'attention.bin'));
    expect(readSealedJson(path.join(dir, 'attention.bin'), 'attention', files)).toMatchObject({
      status: 'refused',
      reason: 'other-purpose',
    });
  });

  it('fails closed when the keychain cannot say which generation is current, or names an older one than the file', () => {
    const dir = folder();
    const secrets = memorySecretStore();
    const files = testSealedFiles(randomBytes(32), secrets);
    saveWorkingSet(dir, files, set('monday'));
    const broken = {
      ...files,
      generations: {
        current: () => {
          throw new Error('no secret service');
        },
        settle: () => undefined,
      },
    };
    expect(readSealedJson(path.join(dir, 'working-set.bin'), 'working-set', broken)).toMatchObject({
      status: 'refused',
      reason: 'keychain-unavailable',
    });
    saveWorkingSet(dir, files, set('tuesday'));
    saveWorkingSet(dir, files, set('wednesday'));
    secrets.save('offline-generation:working-set', '1'); // the keychain put back to an older state
    expect(readSealedJson(path.join(dir, 'working-set.bin'), 'working-set', files)).toMatchObject({
      status: 'refused',
      reason: 'unknown-generation',
    });
  });

  it('reads a file of the first sealed form once, while the keychain has no generation for it, and rewrites it', () => {
    const dir = folder();
    const key = randomBytes(32);
    const legacy = (value: unknown) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from('CWS1'));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from('CWS1'), iv, cipher.getAuthTag(), body]);
    };
    const files = testSealedFiles(key);
    const file = path.join(dir, 'attention.bin');
    writeFileSync(file, legacy({ items: [], serverIds: { upgraded: 7 } }));
    expect(readSealedJson(file, 'attention', files)).toEqual({ status: 'ok', value: { items: [], serverIds: { upgraded: 7 } } });
    expect(readFileSync(file).subarray(0, 4).toString()).toBe('CWS2');
    expect(files.generations.current('attention')).toBe(1);
    writeFileSync(file, legacy({ items: [], serverIds: {} })); // once a generation exists, the first form is an older copy
    expect(readSealedJson(file, 'attention', files)).toMatchObject({ status: 'refused', reason: 'older-copy' });
  });
});
