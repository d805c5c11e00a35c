// Deleting a sealed file used to empty it silently: readSealedJson answered "missing" without asking
// the keychain, so removing attention.bin emptied the Needs-attention inbox with no trace. Now a file
// is "missing" only where the keychain has never recorded a generation for it; otherwise it is refused
// like an older copy put back — the inbox says so with its notice, the credentials fail closed.
// The keychain is the in-memory stand-in (tests/security/sealed-keychain.test.ts covers the real one).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { noticeItem, openAttentionStore } from '../../main/scheduling/offline/attention.js';
import { offlineCredentials } from '../../main/scheduling/offline/offline-credentials.js';
import { readSealedJson, writeSealedJson } from '../../main/security/sealed-file.js';
import { testSealedFiles } from '../support/memory-secrets.js';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clinic-sealed-removed-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a sealed file that is gone', () => {
  it('is "missing" only if this terminal never wrote it; after a write, its removal is refused and logged', () => {
    const dir = freshDir();
    const files = testSealedFiles(randomBytes(32));
    const file = path.join(dir, 'working-set.bin');
    expect(readSealedJson(file, 'working-set', files)).toEqual({ status: 'missing' });
    writeSealedJson(file, 'working-set', files, { id: 'set-1' });
    rmSync(file);
    expect(readSealedJson(file, 'working-set', files)).toEqual({ status: 'refused', reason: 'removed', keptAs: null });
    expect(files.logged.join('\n')).toMatch(/working-set\.bin refused: it is gone/);
  });

  it('the Needs-attention inbox: deleting attention.bin leaves a notice saying the list was lost, not an empty inbox', () => {
    const dir = freshDir();
    const files = testSealedFiles(randomBytes(32));
    const before = openAttentionStore(dir, files);
    before.record([noticeItem('clash-1', new Date(), 'Booking for patient 17 clashes', 'Slot taken')], {});
    expect(before.count()).toBe(1);
    rmSync(path.join(dir, 'attention.bin')); // the attack: whoever has the folder hides what needs attention

    const after = openAttentionStore(dir, files);
    expect(after.items().map((s) => s.item.key)).not.toContain('clash-1');
    expect(after.count()).toBe(1);
    expect(after.items()[0]!.item).toMatchObject({
      summary: 'The Needs-attention list of this terminal could not be read',
      reason: expect.stringContaining('refused (removed)'),
    });
    // The notice is written, so the next start reads it rather than refusing again.
    expect(
      openAttentionStore(dir, files)
        .items()
        .map((s) => s.item.summary),
    ).toEqual(['The Needs-attention list of this terminal could not be read']);
  });

  it('the offline credentials fail closed: deleting them is refused and logged, and no one signs in offline', () => {
    const dir = freshDir();
    const files = testSealedFiles(randomBytes(32));
    writeSealedJson(path.join(dir, 'offline-users.bin'), 'offline-users', files, []);
    rmSync(path.join(dir, 'offline-users.bin'));
    expect(offlineCredentials(dir, files).userIds()).toEqual([]);
    expect(files.logged.join('\n')).toMatch(/offline-users\.bin refused: it is gone/);
  });
});
