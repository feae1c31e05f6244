/** Keys whose values never leave the app. */
const SECRET_KEY = /pass|secret|token|auth|api.?key|credential|csrf|xsrf|session|private.?key/i;
const COOKIE_KEY = /cookie/i;
/** Secrets in URL query strings: `?token=...&password=...`. */
const SECRET_QUERY = /([?&#](?:[^=&#]*(?:pass|secret|token|auth|key|session)[^=&#]*)=)[^&#]*/gi;
export const FILTERED = '[Filtered]';

/** `url` with the values of secret-looking query parameters replaced. */
export function scrubUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1' + FILTERED);
}

/**
 * A copy of `value` with secret-looking keys filtered, cookies too unless `keepCookies`, and secrets in
 * URL strings filtered. Depth-limited so cycles cannot loop.
 */
export function scrub<T>(value: T, keepCookies?: boolean, depth = 0): T {
  if (typeof value === 'string') return (/[?&#]/.test(value) ? scrubUrl(value) : value) as T;
  if (!value || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, keepCookies, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    out[k] = SECRET_KEY.test(k) || (!keepCookies && COOKIE_KEY.test(k)) ? FILTERED : scrub(v, keepCookies, depth + 1);
  }
  return out as T;
}
