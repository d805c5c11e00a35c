/** Upper bound on one request's size; no form in this app comes near it. */
export const MAX_INPUT_BYTES = 256 * 1024;

/**
 * Whether a structured-clone value is bigger than `limit` bytes (roughly, as JSON would count).
 * Stops walking as soon as the limit is passed, so a huge input costs little to refuse.
 */
export function exceedsSize(value: unknown, limit = MAX_INPUT_BYTES): boolean {
  let budget = limit;
  const stack: unknown[] = [value];
  let visited = 0;
  while (stack.length > 0) {
    const item = stack.pop();
    visited += 1;
    if (visited > 100_000) return true;
    if (typeof item === 'string') budget -= item.length + 2;
    else if (typeof item === 'number' || typeof item === 'boolean' || item == null) budget -= 8;
    else if (typeof item === 'object') {
      budget -= 2;
      if (ArrayBuffer.isView(item)) budget -= item.byteLength;
      else if (Array.isArray(item)) {
        if (item.length > limit) return true;
        for (const child of item) stack.push(child);
      }
      else
        for (const [key, child] of Object.entries(item as Record<string, unknown>)) {
          budget -= key.length + 3;
          stack.push(child);
        }
    } else budget -= 8;
    if (budget < 0) return true;
  }
  return false;
}
