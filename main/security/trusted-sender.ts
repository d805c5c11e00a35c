import { isAppUrl } from './url-policy.js';

/** The parts of Electron's WebFrameMain this check reads (kept structural so it is unit-testable). */
export interface FrameLike {
  url: string;
  parent: FrameLike | null;
}

/** IPC is answered only for the app's own top-level frame: never a subframe or a foreign page. */
export function isTrustedSenderFrame(frame: FrameLike | null | undefined): boolean {
  if (!frame) return false;
  return frame.parent === null && isAppUrl(frame.url);
}
