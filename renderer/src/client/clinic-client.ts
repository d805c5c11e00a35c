import type { ChannelInput, ChannelKey, ChannelOutput, ClinicError, Result } from '../../../contract/index.js';

let onUnauthorized: (() => void) | undefined;

/** Lets the session store hear when main refused a call because the session locked or ended. */
export function whenUnauthorized(listener: () => void): void {
  onUnauthorized = listener;
}

/** The renderer's typed client: every call is checked against the contract at compile time. */
export async function call<C extends ChannelKey>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> {
  const result = await window.clinic.invoke(channel, input);
  if (!result.ok && result.error.code === 'Unauthorized' && !channel.startsWith('session/')) onUnauthorized?.();
  return result;
}

export type { ClinicError };
