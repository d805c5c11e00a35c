/** Upper bound on one request's size; no form in this app comes near it. */
export const MAX_INPUT_BYTES = 256 * 1024;
/** Upper bound on values walked: a structured clone can share one object many times (or loop), so the walk stops here. */
const MAX_NODES = 100_000;

const isPlainObject = (value: object) => {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};
const isPlainArray = (value: object): value is unknown[] => Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype;

/**
 * Why a request is refused before its schema sees it, or null. The contract is zod over plain
 * JSON-like data, so anything else a structured clone can carry (Map, Set, ArrayBuffer, typed
 * arrays, Blob, Date, RegExp, Error, bigint, boxed primitives, class instances) is refused outright
 * rather than sized: its contents are invisible to Object.entries and would count as almost nothing.
 * Size is counted roughly as JSON would, stopping as soon as the limit is passed.
 */
export function refusedInput(
  value: unknown,
  limit = MAX_INPUT_BYTES,
): 'The request is too large.' | 'The request must be plain data.' | null {
  let budget = limit;
  let visited = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    visited += 1;
    if (visited > MAX_NODES) return 'The request is too large.';
    if (typeof item === 'string') budget -= item.length + 2;
    else if (typeof item === 'number' || typeof item === 'boolean' || item === null || item === undefined) budget -= 8;
    else if (typeof item !== 'object')
      return 'The request must be plain data.'; // bigint, symbol, function
    else if (isPlainArray(item)) {
      if (item.length > limit) return 'The request is too large.';
      budget -= 2 + item.length; // brackets and commas, even for holes in a sparse array
      for (const child of item) stack.push(child);
    } else if (isPlainObject(item)) {
      budget -= 2;
      for (const [key, child] of Object.entries(item)) {
        budget -= key.length + 4;
        stack.push(child);
      }
    } else return 'The request must be plain data.';
    if (budget < 0) return 'The request is too large.';
  }
  return null;
}
