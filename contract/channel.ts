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

/** A feature's channels; `Domain` pins the names a feature may declare (`'session'` → `session/…`). */
export type ChannelMap<Domain extends string = string> = Record<`${Domain}/${string}`, ChannelSpec>;

export const defineChannel = <I extends z.ZodType, O extends z.ZodType>(spec: ChannelSpec<I, O>): ChannelSpec<I, O> => spec;

type KeysOfEach<T> = T extends unknown ? keyof T : never;

/** The channel names declared by more than one of the maps (never when they are disjoint). */
export type DuplicateChannelNames<Maps extends readonly object[]> = Maps extends readonly [
  infer Head,
  ...infer Rest extends readonly object[],
]
  ? Extract<keyof Head, KeysOfEach<Rest[number]>> | DuplicateChannelNames<Rest>
  : never;

/** Resolves to `unknown` for disjoint maps; otherwise to a type naming the duplicates, so `tsc` says which. */
type RefuseDuplicateChannelNames<Maps extends readonly object[]> = [DuplicateChannelNames<Maps>] extends [never]
  ? unknown
  : { duplicateChannelNames: DuplicateChannelNames<Maps> };

type MergedChannelMaps<Maps extends readonly object[]> = Maps extends readonly [infer Head, ...infer Rest extends readonly object[]]
  ? Head & MergedChannelMaps<Rest>
  : unknown;

/**
 * One map from the features' maps. A name declared twice fails `tsc` ("Property 'duplicateChannelNames'
 * is missing…" naming the channel) and, should a cast hide it, throws on load.
 */
export function mergeChannelMaps<const Maps extends readonly ChannelMap[]>(
  maps: Maps & RefuseDuplicateChannelNames<Maps>,
): MergedChannelMaps<Maps> {
  const merged: Record<string, ChannelSpec> = {};
  for (const map of maps) {
    for (const [name, spec] of Object.entries(map)) {
      if (Object.hasOwn(merged, name)) throw new Error(`Channel ${name} is declared twice in the contract`);
      merged[name] = spec;
    }
  }
  return merged as MergedChannelMaps<Maps>;
}
