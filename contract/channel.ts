import type { z } from 'zod';
import type { Access } from './permissions.js';

/** One IPC channel: its schemas, the access it needs, and one line saying what it does. */
export interface ChannelSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  access: Access;
  doc: string;
}

export type ChannelName = `${string}/${string}`;

export const defineChannel = <I extends z.ZodType, O extends z.ZodType>(
  spec: ChannelSpec<I, O>,
): ChannelSpec<I, O> => spec;
