/** The retry policy, in one place: exponential backoff with jitter, and how long `Retry-After` holds us back. */
export const RETRY_BASE_MS = 1000;
export const RETRY_MAX_MS = 5 * 60_000;
/** Held back this long on 429 without a usable Retry-After. */
export const RATE_LIMIT_DEFAULT_MS = 60_000;
/** Events older than this are dropped (and counted) instead of sent: 24 hours. */
export const MAX_AGE_MS = 24 * 3600_000;

/**
 * Delay before retry number `attempt` (1-based): the exponential step from `base` capped at RETRY_MAX_MS,
 * with "equal jitter" (half fixed, half random) so a fleet of clients does not retry in step. `random` is 0..1.
 */
export function backoffDelay(attempt: number, random: number, base = RETRY_BASE_MS): number {
  const step = Math.min(RETRY_MAX_MS, base * 2 ** Math.min(attempt - 1, 20));
  return step / 2 + (random * step) / 2;
}

/** `Retry-After` (seconds, or an HTTP date) in ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = +header;
  if (seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return at > 0 ? Math.max(0, at - now) : undefined;
}
