import type { ChannelInput, ChannelKey, ChannelOutput } from '../../contract/channels.js';
import type { ClinicError, Result } from '../../contract/errors.js';

/** The renderer's typed client: every call is checked against the contract at compile time. */
export function call<C extends ChannelKey>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> {
  return window.clinic.invoke(channel, input);
}

export type { ClinicError };
