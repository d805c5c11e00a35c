import type { z } from 'zod';
import { mergeChannelMaps } from './channel.js';
import { adminChannels } from './admin.js';
import { ambulanceChannels } from './ambulance.js';
import { backupsChannels } from './backups.js';
import { billingChannels } from './billing.js';
import { housekeepingChannels } from './housekeeping.js';
import { auditChannels } from './audit.js';
import { monitoringChannels } from './monitoring.js';
import { patientsChannels } from './patients.js';
import { pharmacyChannels } from './pharmacy.js';
import { referenceDataChannels } from './reference-data.js';
import { schedulingChannels } from './scheduling.js';
import { sessionChannels } from './session.js';
import { systemChannels } from './system.js';
import { wardChannels } from './ward.js';
import { wardOfflineChannels } from './ward-offline.js';

/**
 * Every IPC channel, declared once in its feature's file and merged here; a name declared by two
 * features fails `tsc`. Main registers handlers from this map, preload builds `window.clinic` from
 * it, and the renderer's client is typed by it. Runtime-neutral: zod only.
 */
export const channels = mergeChannelMaps([
  sessionChannels,
  systemChannels,
  patientsChannels,
  schedulingChannels,
  adminChannels,
  monitoringChannels,
  auditChannels,
  pharmacyChannels,
  wardChannels,
  wardOfflineChannels,
  billingChannels,
  housekeepingChannels,
  ambulanceChannels,
  referenceDataChannels,
  backupsChannels,
]);

export type Channels = typeof channels;
export type ChannelKey = keyof Channels;
export type ChannelInput<C extends ChannelKey> = z.input<Channels[C]['input']>;
export type ParsedInput<C extends ChannelKey> = z.output<Channels[C]['input']>;
export type ChannelOutput<C extends ChannelKey> = z.output<Channels[C]['output']>;

export const CHANNEL_NAMES = Object.keys(channels) as ChannelKey[];

export const isChannelKey = (name: unknown): name is ChannelKey => typeof name === 'string' && Object.hasOwn(channels, name);

export * from './api.js';
export * from './barcodes.js';
export * from './channel.js';
export * from './common.js';
export * from './errors.js';
export * from './events.js';
export * from './permissions.js';
export * from './admin.js';
export * from './ambulance.js';
export * from './backups.js';
export * from './billing.js';
export * from './housekeeping.js';
export * from './audit.js';
export * from './monitoring.js';
export * from './patients.js';
export * from './pharmacy.js';
export * from './reference-data.js';
export * from './scheduling.js';
export * from './session.js';
export * from './system.js';
export * from './ward.js';
export * from './ward-offline.js';
