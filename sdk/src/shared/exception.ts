import { parseStack } from './stack.js';
import type { ExceptionValue, Mechanism } from './types.js';

/** Most errors followed along a `cause` chain. */
const MAX_CAUSES = 5;

function valueOf(err: unknown): ExceptionValue {
  // errors from another realm (iframe, vm) fail instanceof but still have a message and a stack
  const e = err as { name?: string; message?: unknown; stack?: string } | undefined;
  if (err instanceof Error || (e && e.message && e.stack)) {
    const v: ExceptionValue = { type: e!.name || 'Error', value: String(e!.message) };
    const frames = parseStack(e!.stack);
    if (frames.length) v.stacktrace = { frames };
    return v;
  }
  if (err && typeof err === 'object') {
    return { type: 'Error', value: 'Non-Error captured with keys: ' + Object.keys(err).slice(0, 10).join(', ') };
  }
  return { type: 'Error', value: String(err) };
}

/**
 * Exception values for an error and its `cause` chain, in Sentry's order: the deepest cause first,
 * the error that was captured last (it alone carries the mechanism).
 */
export function exceptionValues(err: unknown, mechanism: Mechanism): ExceptionValue[] {
  const values: ExceptionValue[] = [];
  const seen: unknown[] = [];
  let e: unknown = err;
  do {
    seen.push(e);
    values.push(valueOf(e));
    e = e && typeof e == 'object' ? (e as { cause?: unknown }).cause : undefined;
  } while (e != null && values.length < MAX_CAUSES && seen.indexOf(e) < 0);
  values[0].mechanism = mechanism;
  return values.reverse();
}
