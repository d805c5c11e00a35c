// Electron preload: runs sandboxed, so it may import only 'electron' (bundled to CommonJS).
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_EVENT, IPC_INVOKE, type ClinicApi } from '../contract/index.js';
import { createClinicApi } from './clinic-api.js';

const api = createClinicApi({
  invoke: (channel, input) => ipcRenderer.invoke(IPC_INVOKE, channel, input),
  subscribe: (listener) => {
    const forward = (_event: Electron.IpcRendererEvent, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on(IPC_EVENT, forward);
    return () => ipcRenderer.removeListener(IPC_EVENT, forward);
  },
}) satisfies ClinicApi;

// The renderer gets this one frozen object and never ipcRenderer itself.
contextBridge.exposeInMainWorld('clinic', api);
