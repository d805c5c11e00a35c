import type { ClinicApi } from '../../contract/api.js';

declare global {
  interface Window {
    /** Put there by preload: the only way the renderer reaches main. */
    readonly clinic: ClinicApi;
  }
}
export {};
