import {
  events,
  fail,
  isChannelKey,
  type ChannelInput,
  type ChannelKey,
  type ChannelOutput,
  type ClinicApi,
  type EventKey,
  type Result,
} from '../contract/index.js';

/** How the api reaches main: Electron's ipcRenderer in the app, a Playwright binding in tests. */
export interface Transport {
  invoke(channel: string, input: unknown): Promise<unknown>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

/** Builds the frozen `window.clinic` object from the contract; nothing here names a channel by hand. */
export function createClinicApi(transport: Transport): ClinicApi {
  const api: ClinicApi = {
    invoke: async <C extends ChannelKey>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> => {
      // Refused here too so a typo never even crosses the bridge; main refuses it again.
      if (!isChannelKey(channel)) return fail('NotFound', 'That action does not exist.');
      try {
        // main's dispatcher validated the value against the channel's output schema.
        return (await transport.invoke(channel, input)) as Result<ChannelOutput<C>>;
      } catch {
        return fail('Unavailable', 'The workstation could not reach its main process. Try again.');
      }
    },
    on: (event, listener) => {
      const schema = events[event as EventKey];
      return transport.subscribe((name, payload) => {
        if (name !== event) return;
        const parsed = schema.safeParse(payload);
        if (parsed.success) listener(parsed.data as Parameters<typeof listener>[0]);
      });
    },
  };
  return Object.freeze(api);
}
