import { useMutation } from '@tanstack/react-query';
import type { ChannelInput } from '../../../contract/index.js';
import { request } from '../client/channel-query.js';

// A password travels in these calls' variables: nothing of them is kept once the form is gone.
const FORGET_AT_ONCE = { gcTime: 0 } as const;

/** Change your own password; main ends your other sessions. */
export const useChangePassword = () =>
  useMutation({
    ...FORGET_AT_ONCE,
    mutationFn: (input: ChannelInput<'session/change-password'>) => request('session/change-password', input),
  });

/** Set a (first or new) password with an administrator's one-time code. */
export const useRedeemResetCode = () =>
  useMutation({
    ...FORGET_AT_ONCE,
    mutationFn: (input: ChannelInput<'session/redeem-reset-token'>) => request('session/redeem-reset-token', input),
  });
