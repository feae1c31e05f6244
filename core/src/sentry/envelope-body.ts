import type { IngestLimits } from '../config.js';
import { sortEnvelopeItems, type SortedItems } from './envelope-items.js';
import { parseEnvelope } from './parse-envelope.js';

export interface EnvelopeBody extends SortedItems {
  /** The header's event id, if it is one: the answer's `id` when the envelope holds no event. */
  headerEventId: string | null;
}

/** `refuseEvents`: count the event items instead of parsing them (their key is rate limited). */
export function decodeEnvelopeBody(body: Buffer, limits: IngestLimits, refuseEvents = false): EnvelopeBody {
  const envelope = parseEnvelope(body, { maxItems: limits.maxEventsPerRequest });
  return {
    ...sortEnvelopeItems(envelope, limits.maxEventBytes, refuseEvents),
    headerEventId: eventIdOf(envelope.header.event_id),
  };
}

/** 32 hex digits (dashes allowed), lowercased; never echoes other input. */
function eventIdOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const id = value.replace(/-/g, '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(id) ? id : null;
}
