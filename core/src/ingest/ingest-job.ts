import type { IngestLimits } from '../config.js';
import type { EventValidator } from '../event/validate-event.js';
import { decompressBodySync } from '../wire/decompress-body.js';
import { batchEventRanges } from '../wire/batch-event-ranges.js';
import { decodeNativeBody } from '../wire/native-body.js';
import type { DiscardedEvents } from '../sentry/envelope-items.js';
import { decodeEnvelopeBody } from '../sentry/envelope-body.js';
import { decodeStoreBody, type SentryClient } from '../sentry/store-body.js';
import type { HookRegistry } from '../hooks/hook-registry.js';
import type { ProjectScrubbing } from '../providers/scrubbing.js';
import { prepareEvents, prepareHookedEvents, type PrepareContext, type PreparedEvents, type SentEvents } from './prepare-events.js';
import type { SearchRepeats } from './search-repeats.js';

/**
 * One request body to ingest, as the routes hand it over: plain data, so it can be posted to an ingest
 * thread (the body's bytes are transferred, not copied).
 */
export interface IngestJob {
  kind: 'native' | 'envelope' | 'store';
  /** As sent; `encoding` says how to decompress it. */
  body: Uint8Array;
  /** Content-Encoding: identity, gzip, deflate or br. */
  encoding: string;
  projectId: number;
  /** Milliseconds since the epoch. */
  receivedAt: number;
  clientIp: string | undefined;
  /** The key is rate limited (BlockedKeys): an envelope's event items are counted, not parsed. */
  refuseEvents?: boolean;
  /** A store request's `sentry_client`, for an event that names no `sdk` (raven-js). */
  sentryClient?: SentryClient;
  /** The project's scrubbing rules (core's scrubbing is on), for the hooks' context. */
  scrubbing?: ProjectScrubbing;
  /** False: build no search fields, storage keeps no search index (PrepareContext). */
  searchFields?: boolean;
}

/** What a body says besides its events. */
export interface BodyInfo {
  /** Native: whether the body was `{ "events": [...] }`. */
  isBatch?: boolean;
  /** Native: what the SDK says it dropped (its body's `discarded`), for `faultline_sdk_discarded_events_total`. */
  discarded?: DiscardedEvents[];
  envelope?: { headerEventId: string | null; dropped: Record<string, number>; discarded: DiscardedEvents[]; refusedEvents: number };
}

export interface DecodedBody {
  events: unknown[];
  pathOf?(index: number): string;
  info: BodyInfo;
  /** The events' bytes as sent, to keep instead of serializing the events again (event-payload.ts). */
  sent: SentEvents;
}

export interface JobResult {
  info: BodyInfo;
  prepared: PreparedEvents;
}

/**
 * Decompressed bytes to parsed (and, for Sentry, mapped) events; throws a FaultlineError for a bad body.
 */
export function decodeBody(
  kind: IngestJob['kind'],
  body: Buffer,
  limits: IngestLimits,
  refuseEvents = false,
  sentryClient?: SentryClient,
): DecodedBody {
  switch (kind) {
    case 'native': {
      const { events, isBatch, discarded, eventRanges } = decodeNativeBody(body, limits);
      const sent: SentEvents = { format: 'native', bytes: isBatch ? batchEventBytes(body, eventRanges ?? batchEventRanges(body, events.length)) : [body] };
      return { events, pathOf: isBatch ? (i) => `events[${i}]` : undefined, info: { isBatch, discarded }, sent };
    }
    case 'envelope': {
      const { events, eventIndexes, eventBytes, eventLossy, ...envelope } = decodeEnvelopeBody(body, limits, refuseEvents);
      return { events, pathOf: (i) => `items[${eventIndexes[i]}]`, info: { envelope }, sent: { format: 'sentry', bytes: eventBytes, lossy: eventLossy } };
    }
    case 'store': {
      const { event, sent, lossy } = decodeStoreBody(body, limits.maxEventBytes, sentryClient);
      return { events: [event], info: {}, sent: { format: 'sentry', bytes: [sent], lossy: [lossy] } };
    }
  }
}

/**
 * The whole of a job, what an ingest thread runs: synchronous unless `hooks` (the plugins' ingest
 * modules) has per-event handlers.
 */
export function runJob(
  job: IngestJob,
  limits: IngestLimits,
  validate: EventValidator,
  hooks?: HookRegistry,
  repeats?: SearchRepeats,
): JobResult | Promise<JobResult> {
  const decoded = decodeBody(job.kind, decompressBodySync(job.body, job.encoding, limits.maxBodyBytes), limits, job.refuseEvents, job.sentryClient);
  const ctx: PrepareContext = {
    projectId: job.projectId,
    receivedAt: new Date(job.receivedAt),
    clientIp: job.clientIp,
    limits,
    validate,
    pathOf: decoded.pathOf,
    sent: decoded.sent,
    scrubbing: job.scrubbing,
    searchFields: job.searchFields,
    repeats,
  };
  if (hooks?.hasIngestHandlers()) return prepareHookedEvents(decoded.events, ctx, hooks).then((prepared) => ({ info: decoded.info, prepared }));
  return { info: decoded.info, prepared: prepareEvents(decoded.events, ctx) };
}

/** Each event's bytes in a native batch's body (views, not copies), or none where they cannot be told apart. */
function batchEventBytes(body: Buffer, ranges: number[] | null): (Uint8Array | undefined)[] {
  if (ranges === null) return [];
  const bytes: Uint8Array[] = [];
  for (let i = 0; i < ranges.length; i += 2) bytes.push(body.subarray(ranges[i], ranges[i + 1]));
  return bytes;
}
