const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const EVENTS_KEY = [0x22, 0x65, 0x76, 0x65, 0x6e, 0x74, 0x73, 0x22]; // "events"

/** Where a native batch's events lie in its body: see batchLayout. */
export interface BatchLayout {
  /** The `[` and `]` of the events array. */
  open: number;
  close: number;
  /** Each element as `[start, end)` pairs, flat, without the whitespace around it. */
  ranges: number[];
  /** How many top-level keys read `events`: JSON.parse keeps the last. */
  eventsKeys: number;
}

/**
 * Where each event of a native batch (`{"events": [...]}`) lies in the body, so ingest can keep each
 * event's bytes as sent instead of serializing it again: the scan costs less than serializing (bench:prepare
 * measures both). A scan of a body JSON.parse has already accepted: it finds the top-level key `events` and
 * the byte range of each element of its array, as `[start, end)` pairs, flat.
 *
 * Null, and the events are serialized, wherever the bytes might not be the events JSON.parse gave:
 * a top-level key written with an escape (`"ev\u0065nts"` is `events` to JSON.parse and not to a byte
 * comparison), or a count of ranges other than `expected`. A repeated `events` key takes the last, as
 * JSON.parse does.
 */
export function batchEventRanges(body: Uint8Array, expected: number): number[] | null {
  const layout = batchLayout(body);
  if (layout === null || layout.ranges.length !== expected * 2) return null;
  return layout.ranges;
}

/**
 * The scan behind batchEventRanges, and behind parseNativeBatch (parse-native-batch.ts), which reads a
 * body JSON.parse has not seen yet: so besides the ranges it gives where the array is, and it answers
 * null for separators JSON would refuse (`[,{}]`, `[{},,{}]`, `[{},]`, `[{}:{}]`). What it cannot judge (the text
 * outside the array, each element) is for JSON.parse to judge there.
 */
export function batchLayout(body: Uint8Array): BatchLayout | null {
  const n = body.length;
  let depth = 0;
  let keyNext = false; // at depth 1, the next string is a key
  let eventsKey = false; // the last key at depth 1 was `events` and its value has not begun
  let eventsKeys = 0;
  let inEvents = false; // inside the events array: its elements are at depth 2
  let found: BatchLayout | null = null;
  let open = -1;
  let ranges: number[] = [];
  let start = -1; // where the element being read began
  let end = -1; // just past the last byte of the last token read
  let comma = false; // a comma in the events array that no element followed yet
  for (let i = 0; i < n; i++) {
    const c = body[i];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (inEvents && depth === 2 && start < 0 && c !== COMMA && c !== CLOSE_ARRAY) {
      start = i;
      comma = false;
    }
    if (c === QUOTE) {
      const close = closingQuote(body, i);
      if (close < 0) return null;
      if (depth === 1) {
        if (keyNext) {
          if (hasBackslash(body, i, close)) return null;
          eventsKey = isEventsKey(body, i, close);
          if (eventsKey) eventsKeys++;
          keyNext = false;
        } else eventsKey = false;
      }
      i = close;
      end = close + 1;
    } else if (c === COLON) {
      if (inEvents && depth === 2) return null; // between elements: the ranges would leave it out
    } else if (c === COMMA) {
      if (depth === 1) keyNext = true;
      else if (inEvents && depth === 2) {
        if (start < 0) return null;
        ranges.push(start, end);
        start = -1;
        comma = true;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth === 0) {
        if (c !== OPEN_OBJECT) return null;
        keyNext = true;
      } else if (depth === 1) {
        if (c === OPEN_ARRAY && eventsKey) {
          inEvents = true;
          open = i;
          ranges = [];
          start = -1;
          comma = false;
        }
        eventsKey = false;
      }
      depth++;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
      if (inEvents && depth === 1) {
        if (comma || c !== CLOSE_ARRAY) return null;
        if (start >= 0) ranges.push(start, end);
        inEvents = false;
        found = { open, close: i, ranges, eventsKeys: 0 };
        start = -1;
      }
      end = i + 1;
    } else {
      // A number, true, false or null: each of its bytes extends the token.
      if (depth === 1) eventsKey = false;
      end = i + 1;
    }
  }
  if (found === null) return null;
  found.eventsKeys = eventsKeys;
  return found;
}

/** The index of the quote that closes the string opening at `open`, or -1. */
function closingQuote(body: Uint8Array, open: number): number {
  for (let i = open + 1; i < body.length; i++) {
    const c = body[i];
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i;
  }
  return -1;
}

function hasBackslash(body: Uint8Array, open: number, close: number): boolean {
  for (let i = open + 1; i < close; i++) if (body[i] === BACKSLASH) return true;
  return false;
}

function isEventsKey(body: Uint8Array, open: number, close: number): boolean {
  if (close - open + 1 !== EVENTS_KEY.length) return false;
  for (let k = 0; k < EVENTS_KEY.length; k++) if (body[open + k] !== EVENTS_KEY[k]) return false;
  return true;
}
