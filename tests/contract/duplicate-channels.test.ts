// The contract's index refuses a channel name declared by two features: at compile time (the
// `@ts-expect-error` lines below fail `npm run typecheck` if the refusal ever goes) and on load.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  channels,
  CHANNEL_NAMES,
  defineChannel,
  mergeChannelMaps,
  type ChannelKey,
  type ChannelMap,
  type DuplicateChannelNames,
} from '../../contract/index.js';
import { adminChannels } from '../../contract/admin.js';
import { patientsChannels } from '../../contract/patients.js';
import { pharmacyChannels as pharmacyFeatureChannels } from '../../contract/pharmacy.js';
import { schedulingChannels } from '../../contract/scheduling.js';
import { sessionChannels } from '../../contract/session.js';
import { systemChannels } from '../../contract/system.js';
import { wardChannels as wardFeatureChannels } from '../../contract/ward.js';
import { wardOfflineChannels } from '../../contract/ward-offline.js';
import { ambulanceChannels } from '../../contract/ambulance.js';
import { billingChannels } from '../../contract/billing.js';
import { housekeepingChannels } from '../../contract/housekeeping.js';
import { referenceDataChannels } from '../../contract/reference-data.js';
import { auditChannels } from '../../contract/audit.js';
import { backupsChannels } from '../../contract/backups.js';
import { monitoringChannels } from '../../contract/monitoring.js';

const ping = defineChannel({ input: z.object({}).strict(), output: z.literal('pong'), access: 'public', doc: 'Answer pong.' });
const wardChannels = { 'ward/ping-ward': ping, 'ward/list-beds': ping } as const;
const pharmacyChannels = { 'pharmacy/ping-pharmacy': ping } as const;
const clashingChannels = { 'pharmacy/ping-pharmacy': ping, 'session/sign-in': ping } as const;

describe('contract index', () => {
  it('merges disjoint feature maps into one typed map', () => {
    const merged = mergeChannelMaps([wardChannels, pharmacyChannels]);
    expect(Object.keys(merged).sort()).toEqual(['pharmacy/ping-pharmacy', 'ward/list-beds', 'ward/ping-ward']);
    expectTypeOf(merged).toHaveProperty('ward/list-beds');
    expectTypeOf(merged).toHaveProperty('pharmacy/ping-pharmacy');
  });

  it('refuses a duplicate channel name at compile time, naming it, and on load', () => {
    expectTypeOf<
      DuplicateChannelNames<[typeof wardChannels, typeof pharmacyChannels, typeof clashingChannels]>
    >().toEqualTypeOf<'pharmacy/ping-pharmacy'>();
    expectTypeOf<DuplicateChannelNames<[typeof sessionChannels, typeof clashingChannels]>>().toEqualTypeOf<'session/sign-in'>();
    // @ts-expect-error -- 'pharmacy/ping-pharmacy' is declared twice: "Property 'duplicateChannelNames' is missing"
    expect(() => mergeChannelMaps([wardChannels, pharmacyChannels, clashingChannels])).toThrow(
      'Channel pharmacy/ping-pharmacy is declared twice',
    );
  });

  it("refuses a feature's channel outside its own domain", () => {
    // @ts-expect-error -- the session feature's map may only declare session/… channels
    const strayChannel = { 'patients/get-patient': ping } as const satisfies ChannelMap<'session'>;
    expect(Object.keys(strayChannel)).toEqual(['patients/get-patient']);
  });

  it("the app's feature maps are disjoint and together are the whole contract", () => {
    const featureMaps = [
      sessionChannels,
      systemChannels,
      patientsChannels,
      schedulingChannels,
      adminChannels,
      pharmacyFeatureChannels,
      wardFeatureChannels,
      wardOfflineChannels,
      billingChannels,
      housekeepingChannels,
      ambulanceChannels,
      referenceDataChannels,
      backupsChannels,
      monitoringChannels,
      auditChannels,
    ];
    expectTypeOf<
      DuplicateChannelNames<
        [
          typeof sessionChannels,
          typeof systemChannels,
          typeof patientsChannels,
          typeof schedulingChannels,
          typeof adminChannels,
          typeof pharmacyFeatureChannels,
          typeof wardFeatureChannels,
          typeof wardOfflineChannels,
          typeof billingChannels,
          typeof housekeepingChannels,
          typeof ambulanceChannels,
          typeof referenceDataChannels,
          typeof backupsChannels,
          typeof monitoringChannels,
          typeof auditChannels,
        ]
      >
    >().toBeNever();
    expect(featureMaps.reduce((count, map) => count + Object.keys(map).length, 0)).toBe(CHANNEL_NAMES.length);
    expectTypeOf<ChannelKey>().toEqualTypeOf<keyof typeof channels>();
  });
});
