import { FILTERED, isSecret, scrubUrl } from './scrub.js';

/** Deepest nesting kept; deeper objects become "[Object]". */
const MAX_DEPTH = 10;
/** Most keys of one object or items of one array; a broader one becomes "[Object]". */
const MAX_BREADTH = 200;

/**
 * A JSON copy of `value`, whatever the app put in a scope or an event: BigInt becomes a string, a cycle
 * "[Circular]", depth and breadth are bounded. With `scrub`, the rules of scrub.ts apply on the way
 * (cookies kept when `keepCookies`): one walk for both. Undefined when it cannot be written at all
 * (a throwing getter or `toJSON`): the caller drops that one event. Never throws.
 */
export function normalize(value: unknown, scrub?: boolean, keepCookies?: boolean): unknown {
  // the objects from the root to the one being written: its holder (`this`) is always the last
  const parents: unknown[] = [];
  try {
    return JSON.parse(
      JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
        while (parents.length && parents[parents.length - 1] !== this) parents.pop();
        if (typeof v == 'bigint') return String(v);
        if (scrub) {
          if (isSecret(key, keepCookies)) return FILTERED;
          if (typeof v == 'string') return scrubUrl(v);
        }
        if (!v || typeof v != 'object') return v;
        if (parents.indexOf(v) >= 0) return '[Circular]';
        // too deep or too broad: a marker instead of the rest
        if (parents.length > MAX_DEPTH || Object.keys(v).length > MAX_BREADTH) return '[Object]';
        parents.push(v);
        return v;
      }),
    );
  } catch {
    return undefined;
  }
}
