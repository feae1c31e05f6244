import type { IngestLimits } from '../config.js';
import { FaultlineError } from '../errors.js';
import { findShapeViolation, shapeError } from '../event/check-shape.js';
import { parseNativeBatch } from './parse-native-batch.js';
import { parseJsonBody } from './read-body.js';
import { discardedEntry, type DiscardedEvents } from './discarded-events.js';

export interface NativeBody {
  events: unknown[];
  isBatch: boolean;
  discarded: DiscardedEvents[];
  /** Each event's bytes in the body (batchEventRanges), where parsing the batch found them already. */
  eventRanges?: number[];
}

/**
 * `POST /api/v1/events`'s body: one event, or `{ "events": [...] }`, which may say what the SDK dropped
 * since its last accepted body: `"discarded": {"<reason>": <count>}` (Sentry's client report reasons).
 */
export function decodeNativeBody(body: Buffer, limits: IngestLimits): NativeBody {
  const batch = parseNativeBatch(body);
  const parsed = batch ? batch.value : parseJsonBody(body);
  const isBatch = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && Array.isArray((parsed as any).events);
  const events: unknown[] = isBatch ? (parsed as { events: unknown[] }).events : [parsed];
  if (events.length === 0) throw new FaultlineError('FAULTLINE_ERR_INGEST_BODY_EMPTY', 'The batch holds no events', { path: 'events' });
  if (events.length > limits.maxEventsPerRequest) {
    throw new FaultlineError('FAULTLINE_ERR_INGEST_BATCH_TOO_LARGE', `At most ${limits.maxEventsPerRequest} events per request`, { path: 'events' });
  }
  if (body.length > limits.maxEventBytes) checkEventSizes(events, limits, isBatch);
  return {
    events,
    isBatch,
    discarded: isBatch ? discardedCounts((parsed as { discarded?: unknown }).discarded) : [],
    ...(batch ? { eventRanges: batch.ranges } : {}),
  };
}

/** A malformed `discarded` is ignored, not an error: it is the SDK's own bookkeeping. */
function discardedCounts(counts: unknown): DiscardedEvents[] {
  if (!counts || typeof counts !== 'object') return [];
  const out: DiscardedEvents[] = [];
  for (const [reason, quantity] of Object.entries(counts).slice(0, 20)) {
    const known = discardedEntry(reason, 'error', quantity);
    if (known) out.push(known);
  }
  return out;
}

/**
 * Only for bodies larger than one event may be: measures each event once. JSON.stringify recurses, so
 * each event's depth is checked first (as validation would), or a deeply nested body overflows the stack.
 */
function checkEventSizes(events: unknown[], limits: IngestLimits, isBatch: boolean): void {
  const max = limits.maxEventBytes;
  for (let i = 0; i < events.length; i++) {
    const path = isBatch ? `events[${i}]` : undefined;
    const violation = findShapeViolation(events[i], limits.maxDepth, limits.maxObjectKeys);
    if (violation) throw shapeError(violation, limits.maxDepth, limits.maxObjectKeys, path);
    if (Buffer.byteLength(JSON.stringify(events[i]) ?? '') > max) {
      throw new FaultlineError('FAULTLINE_ERR_INGEST_EVENT_TOO_LARGE', `Event is larger than ${max} bytes`, { path });
    }
  }
}
