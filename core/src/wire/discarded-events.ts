/**
 * What an SDK says it dropped before sending (Sentry's client reports, and the native body's `discarded`),
 * as `faultline_sdk_discarded_events_total` counts it. Here rather than in sentry/ because the native body
 * decoder reads it too.
 */
export interface DiscardedEvents {
  reason: string;
  category: string;
  quantity: number;
}

const KNOWN_REASONS = new Set([
  'queue_overflow', 'cache_overflow', 'buffer_overflow', 'ratelimit_backoff', 'network_error', 'sample_rate',
  'before_send', 'event_processor', 'send_error', 'internal_sdk_error', 'insufficient_data', 'backpressure',
]);
const KNOWN_CATEGORIES = new Set([
  'default', 'error', 'transaction', 'security', 'attachment', 'session', 'profile', 'profile_chunk', 'replay',
  'span', 'log_item', 'log_byte', 'monitor', 'feedback', 'internal', 'metric_bucket', 'user_report_v2',
]);

/**
 * One count of discarded events as the metric takes it: an unknown reason or category becomes `other`;
 * a quantity that is not a positive number is none. Also reads the native body's `discarded` field.
 */
export function discardedEntry(reason: unknown, category: unknown, quantity: unknown): DiscardedEvents | undefined {
  if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity <= 0) return undefined;
  return {
    reason: typeof reason === 'string' && KNOWN_REASONS.has(reason) ? reason : 'other',
    category: typeof category === 'string' && KNOWN_CATEGORIES.has(category) ? category : 'other',
    quantity: Math.min(quantity, 1_000_000),
  };
}
