// The renderer's `window.clinic`, built by the same createClinicApi the Electron preload uses,
// over a Playwright binding instead of ipcRenderer. Not real here: Electron's IPC transport
// (the Electron binary cannot be installed on this machine); everything behind it is real.
import { createClinicApi } from '../../../preload/clinic-api.js';

type Listener = (event: string, payload: unknown) => void;
const listeners = new Set<Listener>();
const scope = window as unknown as {
  __clinicInvoke(channel: string, input: unknown): Promise<unknown>;
  __clinicEmit(event: string, payload: unknown): void;
  clinic: unknown;
};
const invoke = scope.__clinicInvoke;
Object.defineProperty(window, '__clinicEmit', {
  value: (event: string, payload: unknown) => listeners.forEach((l) => l(event, payload)),
});
Object.defineProperty(window, 'clinic', {
  value: createClinicApi({
    invoke: (channel, input) => invoke(channel, input),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  }),
  writable: false,
  configurable: false,
});
