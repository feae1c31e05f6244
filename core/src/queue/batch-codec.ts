import { FaultlineError } from '../errors.js';
import { LEVELS, type Level } from '../event/types.js';
import type { EventSearchFields, GroupedEvent } from '../providers/storage.js';

/**
 * The bytes a queue carries for one batch (see QueueProvider). Core owns them so every queue speaks one
 * versioned format and a batch queued by one release is read by the next.
 *
 * Version 1:
 *   'F' 'L' 'B' <version byte> | u32 BE: byte length H of the head | head: UTF-8 JSON array with one
 *   tuple per event (every field but the payload, and the payload's byte length) | the payloads, back to back.
 * Version 2 (written now): the same, each tuple ending with the event's search fields (or null), which
 *   grouping extracted: without them storage on a worker decodes every payload again to find them.
 *   Version 1 is still read (its events come without them).
 * The payloads are copied in as they are: never base64'd, escaped or parsed again, so a 50 KB event
 * costs one memcpy each way. The head is one JSON.stringify / JSON.parse per batch of small tuples.
 * Decoded payloads are views into the input bytes (no copy); keep the input unchanged while they live.
 */
export const BATCH_FORMAT_VERSION = 2;

const MAGIC = [0x46, 0x4c, 0x42]; // FLB
const PREAMBLE = 8;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

type Tuple = [
  projectId: number,
  eventId: string,
  receivedAt: string,
  timestamp: string,
  level: Level,
  platform: string,
  release: string | null,
  environment: string | null,
  fingerprint: string,
  groupingVersion: string,
  userKey: string | null,
  title: string,
  culprit: string,
  type: string,
  value: string,
  payloadBytes: number,
  search?: EventSearchFields | null,
];
/** Tuple length by format version. */
const TUPLE_LENGTHS: Readonly<Record<number, number>> = { 1: 16, 2: 17 };

export function encodeBatch(events: GroupedEvent[]): Uint8Array {
  const tuples: Tuple[] = new Array(events.length);
  let payloadBytes = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const m = e.meta;
    tuples[i] = [
      e.projectId, e.eventId, e.receivedAt, e.timestamp, e.level, e.platform, e.release, e.environment,
      e.fingerprint, e.groupingVersion, e.userKey, m.title, m.culprit, m.type, m.value, e.payload.byteLength,
      e.search ?? null,
    ];
    payloadBytes += e.payload.byteLength;
  }
  const head = encoder.encode(JSON.stringify(tuples));
  const out = new Uint8Array(PREAMBLE + head.byteLength + payloadBytes);
  out.set(MAGIC, 0);
  out[3] = BATCH_FORMAT_VERSION;
  new DataView(out.buffer).setUint32(4, head.byteLength);
  out.set(head, PREAMBLE);
  let at = PREAMBLE + head.byteLength;
  for (const e of events) {
    out.set(e.payload, at);
    at += e.payload.byteLength;
  }
  return out;
}

/** The batch back; FAULTLINE_ERR_QUEUE_BATCH_CORRUPT saying what is wrong for anything else. */
export function decodeBatch(bytes: Uint8Array): GroupedEvent[] {
  if (!(bytes instanceof Uint8Array)) throw corrupt('input is not bytes');
  if (bytes.byteLength < PREAMBLE) throw corrupt(`${bytes.byteLength} bytes is shorter than the preamble`);
  if (bytes[0] !== MAGIC[0] || bytes[1] !== MAGIC[1] || bytes[2] !== MAGIC[2]) throw corrupt('not a Faultline batch (bad magic)');
  const tupleLength = TUPLE_LENGTHS[bytes[3]];
  if (tupleLength === undefined) throw corrupt(`unknown batch format version ${bytes[3]}`);
  const headBytes = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4);
  if (PREAMBLE + headBytes > bytes.byteLength) throw corrupt('truncated head');

  let tuples: unknown;
  try {
    tuples = JSON.parse(decoder.decode(bytes.subarray(PREAMBLE, PREAMBLE + headBytes)));
  } catch {
    throw corrupt('head is not UTF-8 JSON');
  }
  if (!Array.isArray(tuples)) throw corrupt('head is not an array');

  const events: GroupedEvent[] = new Array(tuples.length);
  let at = PREAMBLE + headBytes;
  for (let i = 0; i < tuples.length; i++) {
    const t = tuples[i] as Tuple;
    if (!validTuple(t, tupleLength)) throw corrupt(`event ${i} is malformed`);
    const end = at + t[15];
    if (end > bytes.byteLength) throw corrupt(`truncated payload of event ${i}`);
    events[i] = {
      projectId: t[0],
      eventId: t[1],
      receivedAt: t[2],
      timestamp: t[3],
      level: t[4],
      platform: t[5],
      release: t[6],
      environment: t[7],
      fingerprint: t[8],
      groupingVersion: t[9],
      userKey: t[10],
      meta: { title: t[11], culprit: t[12], type: t[13], value: t[14] },
      payload: bytes.subarray(at, end),
    };
    if (t[16]) events[i].search = t[16];
    at = end;
  }
  if (at !== bytes.byteLength) throw corrupt(`${bytes.byteLength - at} bytes after the last payload`);
  return events;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';

function validTuple(t: unknown, length: number): t is Tuple {
  if (!Array.isArray(t) || t.length !== length) return false;
  return (
    (length === 16 || t[16] === null || validSearch(t[16])) &&
    Number.isSafeInteger(t[0]) &&
    isString(t[1]) && isString(t[2]) && isString(t[3]) &&
    (LEVELS as readonly unknown[]).includes(t[4]) &&
    isString(t[5]) && isNullableString(t[6]) && isNullableString(t[7]) &&
    isString(t[8]) && isString(t[9]) && isNullableString(t[10]) &&
    isString(t[11]) && isString(t[12]) && isString(t[13]) && isString(t[14]) &&
    Number.isSafeInteger(t[15]) && t[15] >= 0
  );
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

function validSearch(s: unknown): s is EventSearchFields {
  const f = s as EventSearchFields;
  return (
    typeof f === 'object' && f !== null && isString(f.text) && isStrings(f.filenames) && isStrings(f.functions) &&
    typeof f.tags === 'object' && f.tags !== null && !Array.isArray(f.tags) && Object.values(f.tags).every(isString)
  );
}

function corrupt(what: string): FaultlineError {
  return new FaultlineError('FAULTLINE_ERR_QUEUE_BATCH_CORRUPT', `Queued batch is corrupt: ${what}`);
}
