import { z } from 'zod';
import { SystemStatus } from './system.js';

/** Messages main pushes to the renderer (one way, no reply). */
export const events = {
  'system/status-changed': SystemStatus,
  /** This window's session locked itself (idle) or ended (absolute limit). */
  'session/locked': z.object({ reason: z.enum(['idle', 'expired']) }),
} as const;

export type EventKey = keyof typeof events;
