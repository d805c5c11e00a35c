import { SystemStatus } from './schemas.js';

/** Messages main pushes to the renderer (one way, no reply). */
export const events = {
  'system/status-changed': SystemStatus,
} as const;

export type EventKey = keyof typeof events;
