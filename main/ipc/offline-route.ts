import type { ChannelKey } from '../../contract/index.js';
import type { HandlerContext } from './handler-types.js';

/**
 * Somewhere else a request can be answered when the database is away (a front desk's offline desk).
 * The door knows only this: it asks, and never looks at which channel it is or what its input holds.
 */
export interface OfflineRoute {
  /** Whether this request is answered here now, instead of by its handler (the database is away, or changes wait). */
  takes(channel: ChannelKey): boolean;
  /** Whether this request can be answered here if the database turns out to be unreachable. */
  serves(channel: ChannelKey): boolean;
  serve(channel: ChannelKey, input: unknown, ctx: HandlerContext): Promise<unknown>;
  /** After a request answered online and committed: what the route keeps up to date. */
  afterOnline?(channel: ChannelKey, input: unknown, value: unknown, ctx: HandlerContext): Promise<void>;
}
