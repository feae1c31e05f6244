import { FaultlineError } from '../errors.js';
import type { Metrics } from '../metrics.js';
import { mapSentryEvent } from './map-sentry-event.js';
import { parseItemJson, type Envelope } from './parse-envelope.js';
import { discardedEntry, type DiscardedEvents } from '../wire/discarded-events.js';

export { discardedEntry, type DiscardedEvents };

/**
 * What Faultline does with each envelope item type:
 * - `event`: mapped to the canonical event and ingested like a native event (at most 1 MiB each);
 * - `attachment`: dropped and counted (there is no blob storage yet);
 * - `client_report`: the SDK's own discard counts go to `faultline_sdk_discarded_events_total`;
 * - everything else (`session`, `sessions`, `transaction`, `span`, `log`, `check_in`, `profile`,
 *   `replay_*`, `feedback`, unknown types): accepted, dropped and counted by type.
 */
export interface SortedItems {
  /** Event payloads, mapped, ready for the pipeline. */
  events: unknown[];
  /** Each event's index in the envelope, for error paths. */
  eventIndexes: number[];
  /** Each event's bytes as sent. */
  eventBytes: Buffer[];
  /** Whether mapping dropped something of each event's (event/data-loss.ts). */
  eventLossy: boolean[];
  /** Items dropped, by type (`other` for unknown types), for `faultline_sentry_items_dropped_total`. */
  dropped: Record<string, number>;
  /** What the SDK's client reports say it discarded, for `faultline_sdk_discarded_events_total`. */
  discarded: DiscardedEvents[];
  /** Event items counted but not parsed, because their key is rate limited. */
  refusedEvents: number;
}

const KNOWN_TYPES = new Set([
  'event', 'attachment', 'session', 'sessions', 'client_report', 'transaction', 'span', 'log', 'otel_log',
  'check_in', 'profile', 'profile_chunk', 'replay_event', 'replay_recording', 'replay_video', 'feedback',
  'user_report', 'statsd', 'metric_buckets', 'security', 'raw_security', 'trace_metric', 'otel_span',
]);

/** Sorts an envelope's items; plain data out (it may run in an ingest thread), counted by `countEnvelopeItems`. */
export function sortEnvelopeItems(envelope: Envelope, maxEventBytes: number, refuseEvents = false): SortedItems {
  const sorted: SortedItems = { events: [], eventIndexes: [], eventBytes: [], eventLossy: [], dropped: {}, discarded: [], refusedEvents: 0 };
  envelope.items.forEach((item, index) => {
    if (item.type === 'event' && refuseEvents) {
      sorted.refusedEvents++;
      return;
    }
    if (item.type === 'event') {
      if (sorted.events.length > 0) {
        // Relay refuses an envelope with two event items as a whole ("duplicate item"): one envelope is one event.
        throw new FaultlineError('FAULTLINE_ERR_INGEST_ENVELOPE', 'An envelope may hold only one event item', { path: `items[${index}]` });
      }
      if (item.payload.length > maxEventBytes) {
        throw new FaultlineError('FAULTLINE_ERR_INGEST_EVENT_TOO_LARGE', `Event is larger than ${maxEventBytes} bytes`, { path: `items[${index}]` });
      }
      const loss = { lossy: false };
      const event = mapSentryEvent(parseItemJson(item, index), loss);
      const headerId = envelope.header.event_id;
      if (event && typeof event === 'object' && (event as { event_id?: unknown }).event_id === undefined && typeof headerId === 'string') {
        (event as { event_id?: unknown }).event_id = headerId;
      }
      sorted.events.push(event);
      sorted.eventIndexes.push(index);
      sorted.eventBytes.push(item.payload);
      sorted.eventLossy.push(loss.lossy);
      return;
    }
    if (item.type === 'client_report') sorted.discarded.push(...clientReport(item.payload));
    const label = KNOWN_TYPES.has(item.type) ? item.type : 'other';
    sorted.dropped[label] = (sorted.dropped[label] ?? 0) + 1;
  });
  return sorted;
}

export function countEnvelopeItems(metrics: Metrics, sorted: Pick<SortedItems, 'dropped' | 'discarded'>): void {
  for (const [type, n] of Object.entries(sorted.dropped)) metrics.itemsDropped.inc({ type }, n);
  for (const { reason, category, quantity } of sorted.discarded) metrics.sdkDiscardedEvents.inc({ reason, category }, quantity);
}

/** `{"discarded_events": [{"reason", "category", "quantity"}]}`; a malformed report is ignored, not an error. */
function clientReport(payload: Buffer): DiscardedEvents[] {
  let report: unknown;
  try {
    report = JSON.parse(payload.toString('utf8'));
  } catch {
    return [];
  }
  const discarded = (report as { discarded_events?: unknown } | null)?.discarded_events;
  if (!Array.isArray(discarded)) return [];
  const out: DiscardedEvents[] = [];
  for (const entry of discarded.slice(0, 100)) {
    const { reason, category, quantity } = (entry ?? {}) as Record<string, unknown>;
    const known = discardedEntry(reason, category, quantity);
    if (known) out.push(known);
  }
  return out;
}

