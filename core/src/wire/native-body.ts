import type { IngestLimits } from '../config.js';
import { FaultlineError } from '../errors.js';
import { parseJsonBody } from './read-body.js';

/** `POST /api/v1/events`'s body: one event, or `{ "events": [...] }`. */
export function decodeNativeBody(body: Buffer, limits: IngestLimits): { events: unknown[]; isBatch: boolean } {
  const parsed = parseJsonBody(body);
  const isBatch = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && Array.isArray((parsed as any).events);
  const events: unknown[] = isBatch ? (parsed as { events: unknown[] }).events : [parsed];
  if (events.length === 0) throw new FaultlineError('FAULTLINE_ERR_INGEST_BODY_EMPTY', 'The batch holds no events', { path: 'events' });
  if (events.length > limits.maxEventsPerRequest) {
    throw new FaultlineError('FAULTLINE_ERR_INGEST_BATCH_TOO_LARGE', `At most ${limits.maxEventsPerRequest} events per request`, { path: 'events' });
  }
  if (body.length > limits.maxEventBytes) checkEventSizes(events, limits.maxEventBytes, isBatch);
  return { events, isBatch };
}

/** Only for bodies larger than one event may be: measures each event once. */
function checkEventSizes(events: unknown[], max: number, isBatch: boolean): void {
  for (let i = 0; i < events.length; i++) {
    if (Buffer.byteLength(JSON.stringify(events[i]) ?? '') > max) {
      throw new FaultlineError('FAULTLINE_ERR_INGEST_EVENT_TOO_LARGE', `Event is larger than ${max} bytes`, {
        path: isBatch ? `events[${i}]` : undefined,
      });
    }
  }
}
