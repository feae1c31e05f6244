import { isUtf8 } from 'node:buffer';
import { FaultlineError } from '../errors.js';
import type { CanonicalEvent, IncomingEvent } from '../event/types.js';
import { mapSentryEvent } from '../sentry/map-sentry-event.js';
import { normalizeEvent, type NormalizeLimits } from './normalize-event.js';
import { decodeSentV1 } from './payload-v1/decode-sent.js';

/**
 * An event's payload (GroupedEvent.payload, and what storage keeps) is UTF-8 JSON in one of two forms,
 * both read with `decodePayload`:
 * - the canonical event, serialized: a JSON object. Written when a plugin's per-event hook may have
 *   changed the event, and for events without bytes of their own (`faultline.ingest()`, a native batch whose events cannot be told apart in its bytes).
 *   Its meaning is the JSON itself; nothing runs on it when read, so it carries no version;
 * - the event as its SDK sent it, wrapped with what normalizing it depends on: the JSON array
 *   `[version, recipe, <event as sent>]`. Written otherwise, on an ingest thread or the main thread alike.
 *   Decoding maps (Sentry) and normalizes it again, giving the canonical event ingest made.
 * Why two: serializing a 50 KB event again took a third of an ingest thread's time, and an error tracker
 * writes far more events than it reads, so the work moves to the read (bench/sentry).
 *
 * Versions: because the form as sent is decoded by code, its meaning would drift with that code. So each
 * version's decoder is fixed: the version ingest writes (PAYLOAD_VERSION) runs today's mapper and
 * normalizer, and each older version runs a frozen copy of the code that wrote it (payload-v1/). Golden
 * fixtures pin every version (core/test/fixtures/payloads/). A change to the mapper or the normalizer
 * that makes a fixture of the current version decode differently therefore comes with a new version:
 * copy today's code into payload-v<N>/ and point version N at it, bump PAYLOAD_VERSION, write the new
 * version's fixtures (write-fixtures.ts there); never edit an expected event. A frozen copy rather than
 * options in the recipe: a recipe pins only what someone thought to make an option, a copy pins all of it.
 * Version 2 started as version 1's code; it exists so that this release's mapping fixes change new rows
 * only. A version this code does not know (a row from a newer Faultline) is FAULTLINE_ERR_PAYLOAD_VERSION.
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

/** The version of the form as sent that ingest writes. */
export const PAYLOAD_VERSION = 2;

type SentDecoder = (recipe: SentRecipe, sent: Record<string, unknown>) => CanonicalEvent;

/** Every version ever written, each with its own decoder; an entry is never removed. */
const SENT_DECODERS: Readonly<Record<number, SentDecoder>> = {
  1: decodeSentV1,
  [PAYLOAD_VERSION]: decodeSent,
};

/** The versions `decodePayload` reads (for tests: each must have golden fixtures). */
export const PAYLOAD_VERSIONS: readonly number[] = Object.keys(SENT_DECODERS).map(Number);

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
  const head = encoder.encode(`[${PAYLOAD_VERSION},${JSON.stringify(recipe)},`);
  const out = new Uint8Array(head.length + sent.length + 1);
  out.set(head);
  out.set(sent, head.length);
  out[out.length - 1] = 0x5d; // ]
  return out;
}

/** A payload back into the canonical event, as it meant when it was written. */
export function decodePayload(payload: Uint8Array | string): CanonicalEvent {
  let value: unknown;
  try {
    value = JSON.parse(typeof payload === 'string' ? payload : decoder.decode(payload));
  } catch (err) {
    throw new FaultlineError('FAULTLINE_ERR_PAYLOAD_INVALID', 'Stored event payload is not JSON', { cause: err });
  }
  if (!Array.isArray(value)) {
    if (value === null || typeof value !== 'object') throw new FaultlineError('FAULTLINE_ERR_PAYLOAD_INVALID', 'Stored event payload is neither an event nor a wrapped event');
    return value as CanonicalEvent;
  }
  const [version, recipe, sent] = value as unknown[];
  const decode = typeof version === 'number' ? SENT_DECODERS[version] : undefined;
  if (!decode) throw new FaultlineError('FAULTLINE_ERR_PAYLOAD_VERSION', `Stored event payload has version ${JSON.stringify(version)}; this Faultline reads ${PAYLOAD_VERSIONS.join(', ')}`);
  if (!isRecipe(recipe) || sent === null || typeof sent !== 'object' || Array.isArray(sent)) {
    throw new FaultlineError('FAULTLINE_ERR_PAYLOAD_INVALID', `Stored event payload of version ${version} has no recipe or no event`);
  }
  return decode(recipe, sent as Record<string, unknown>);
}

/** The current version: today's mapper and normalizer. */
function decodeSent(recipe: SentRecipe, sent: Record<string, unknown>): CanonicalEvent {
  const event = (recipe.format === 'sentry' ? mapSentryEvent(sent) : sent) as IncomingEvent;
  event.event_id = recipe.eventId;
  const limits: NormalizeLimits = { maxStringLength: recipe.maxStringLength, maxBreadcrumbs: recipe.maxBreadcrumbs };
  return normalizeEvent(event, { receivedAt: new Date(recipe.receivedAt), clientIp: recipe.clientIp ?? undefined, limits });
}

function isRecipe(value: unknown): value is SentRecipe {
  const r = value as SentRecipe | null;
  return r !== null && typeof r === 'object' && (r.format === 'sentry' || r.format === 'native') && typeof r.eventId === 'string' && typeof r.receivedAt === 'string';
}
