/**
 * Sentry's rate-limit answer: `Retry-After` (set by the error handler) and `X-Sentry-Rate-Limits`,
 * `<seconds>:<categories separated by ;>:<scope>`. SDKs stop sending the named categories for that
 * long. Faultline's per-key limit counts error events, which SDKs file under these categories
 * (`default` for older SDKs, `security` for CSP reports); sessions, transactions and the rest are
 * dropped without being counted, so they are not named.
 */
export const RATE_LIMITED_CATEGORIES = ['error', 'default', 'security'] as const;

export function sentryRateLimitHeaders(retryAfter: number): Record<string, string> {
  return { 'X-Sentry-Rate-Limits': `${Math.max(1, Math.ceil(retryAfter))}:${RATE_LIMITED_CATEGORIES.join(';')}:key` };
}
