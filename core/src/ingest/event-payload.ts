import { isUtf8 } from 'node:buffer';
import type { CanonicalEvent, IncomingEvent } from '../event/types.js';
import { mapSentryEvent } from '../sentry/map-sentry-event.js';
import { normalizeEvent, type NormalizeLimits } from './normalize-event.js';

/**
 * An event's payload (GroupedEvent.payload, and what storage keeps) is UTF-8 JSON in one of two forms,
 * both read with `decodePayload`:
 * - the canonical event, serialized: a JSON object. Written when a plugin's per-event hook may have
 *   changed the event, and for events without bytes of their own (a native batch, `faultline.ingest()`);
 * - the event as its SDK sent it, wrapped with what normalizing it depends on: the JSON array
 *   `[1, recipe, <event as sent>]`. Written otherwise, on an ingest thread or the main thread alike.
 *   Decoding maps (Sentry) and normalizes it again, giving the same canonical event.
 * Why two: serializing a 50 KB event again took a third of an ingest thread's time (JSON.stringify
 * ~0.15 ms, then a copy to bytes), and an error tracker writes far more events than it reads, so the
 * work moves to the read (bench/sentry: server CPU per event -0.18 ms).
 */
export interface SentRecipe {
  format: 'sentry' | 'native';
  eventId: string;
  receivedAt: string;
  /** The client's address, for a `user.ip_address` of `{{auto}}`. */
  clientIp: string | null;
  maxStringLength: number;
  maxBreadcrumbs: number;
}

const FORMAT_VERSION = 1;
const encoder = new TextEncoder(); // always a fresh ArrayBuffer, never Node's shared Buffer pool, so it can be transferred
const decoder = new TextDecoder();

export function canonicalPayload(event: CanonicalEvent): Uint8Array {
  return encoder.encode(JSON.stringify(event));
}

/**
 * The event as sent, wrapped; null when its bytes are not valid UTF-8 (JSON.parse read them with
 * replacement characters, and the database would refuse them), so the caller serializes it instead.
 */
export function sentPayload(sent: Uint8Array, recipe: SentRecipe): Uint8Array | null {
  if (!isUtf8(sent)) return null;
  const head = encoder.encode(`[${FORMAT_VERSION},${JSON.stringify(recipe)},`);
  const out = new Uint8Array(head.length + sent.length + 1);
  out.set(head);
  out.set(sent, head.length);
  out[out.length - 1] = 0x5d; // ]
  return out;
}

/** A payload back into the canonical event. */
export function decodePayload(payload: Uint8Array | string): CanonicalEvent {
  const value: unknown = JSON.parse(typeof payload === 'string' ? payload : decoder.decode(payload));
  if (!Array.isArray(value)) return value as CanonicalEvent;
  const [version, recipe, sent] = value as [number, SentRecipe, Record<string, unknown>];
  if (version !== FORMAT_VERSION) throw new Error(`unknown event payload format ${version}`);
  const event = (recipe.format === 'sentry' ? mapSentryEvent(sent) : sent) as IncomingEvent;
  event.event_id = recipe.eventId;
  const limits: NormalizeLimits = { maxStringLength: recipe.maxStringLength, maxBreadcrumbs: recipe.maxBreadcrumbs };
  return normalizeEvent(event, { receivedAt: new Date(recipe.receivedAt), clientIp: recipe.clientIp ?? undefined, limits });
}
