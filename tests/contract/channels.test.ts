// The contract's own rules: names, permissions, docs, and one handler per channel.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { channels, CHANNEL_NAMES } from '../../contract/index.js';
import { PERMISSIONS } from '../../contract/permissions.js';
import { createHandlers } from '../../main/app-handlers.js';

describe('IPC contract', () => {
  it('names every channel domain/verb-noun in kebab case', () => {
    for (const name of CHANNEL_NAMES) expect(name).toMatch(/^[a-z]+\/[a-z]+(-[a-z]+)+$/);
  });

  it('gives every channel an access rule from the closed list, a one-line doc, and zod schemas', () => {
    for (const name of CHANNEL_NAMES) {
      const spec = channels[name];
      expect([...PERMISSIONS, 'public', 'session', 'signed-in']).toContain(spec.access);
      expect(spec.doc).toMatch(/^[A-Z].*\.$/);
      expect(spec.doc).not.toContain('\n');
      expect(spec.input).toBeInstanceOf(z.ZodType);
      expect(spec.output).toBeInstanceOf(z.ZodType);
    }
  });

  it('has exactly one handler per channel in main', () => {
    expect(Object.keys(createHandlers()).sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('keeps public channels to the few that must work before sign-in', () => {
    const publicChannels = CHANNEL_NAMES.filter((n) => channels[n].access === 'public').sort();
    expect(publicChannels).toEqual([
      'session/get-current',
      'session/redeem-reset-token',
      'session/sign-in',
      'system/get-demo-accounts',
      'system/get-status',
    ]);
  });
});
