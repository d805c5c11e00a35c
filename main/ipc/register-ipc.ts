import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { IPC_INVOKE } from '../../contract/api.js';
import { fail } from '../../contract/errors.js';
import { isTrustedSenderFrame } from '../security/trusted-sender.js';
import type { Dispatch } from './dispatcher.js';

/**
 * The single ipcMain registration. Every channel of the contract travels through this one handle;
 * a request from any frame but the app's own main frame is refused before it reaches the dispatcher.
 */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, dispatch: Dispatch): void {
  ipcMain.handle(IPC_INVOKE, (event: IpcMainInvokeEvent, channel: unknown, input: unknown) => {
    if (!isTrustedSenderFrame(event.senderFrame)) {
      return fail('Forbidden', 'This request did not come from the workstation window.');
    }
    return dispatch(String(event.sender.id), channel, input);
  });
}
