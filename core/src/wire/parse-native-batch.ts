import { batchLayout } from './batch-event-ranges.js';

export interface ParsedNativeBatch {
  /** What JSON.parse gives for the whole body. */
  value: { events: unknown[] };
  /** Each event's bytes in the body, as batchEventRanges gives them. */
  ranges: number[];
}

/**
 * JSON.parse of a native batch (`{"events": [...]}`) one event at a time: the same value, without
 * decoding the whole body into one string first. A body of many events makes a string too large for
 * the young generation, and allocating fresh memory for it each time costs more than parsing it.
 *
 * Only where the parts say for sure what the whole would: the text around the events array (with `[]`
 * in its place) and each element must parse, batchLayout must find exactly one top-level `events` key
 * and accept the separators, and every cut falls on an ASCII byte of JSON's syntax, so decoding the
 * parts gives the characters decoding the whole would. Null otherwise (a single event, an invalid body,
 * anything unusual): the caller parses the whole body, which also gives a bad body its error.
 */
export function parseNativeBatch(body: Buffer): ParsedNativeBatch | null {
  const layout = batchLayout(body);
  if (layout === null || layout.eventsKeys !== 1) return null;
  const { open, close, ranges } = layout;
  let value: { events: unknown[] };
  try {
    value = JSON.parse(`${body.toString('utf8', 0, open)}[]${body.toString('utf8', close + 1)}`);
  } catch {
    return null;
  }
  if (!Array.isArray(value?.events) || value.events.length !== 0) return null;
  const events: unknown[] = [];
  for (let i = 0; i < ranges.length; i += 2) {
    try {
      events.push(JSON.parse(body.toString('utf8', ranges[i], ranges[i + 1])));
    } catch {
      return null;
    }
  }
  value.events = events;
  return { value, ranges };
}
