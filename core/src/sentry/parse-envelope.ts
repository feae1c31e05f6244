import { FaultlineError } from '../errors.js';

/**
 * Sentry's envelope format: a JSON header line, then items, each a JSON header line and a payload. An
 * item header with `length` says how many bytes the payload has (it may then hold newlines or binary
 * data); without it the payload runs to the next newline. The last line may lack its newline.
 * Works on bytes, never on the decoded string, so lengths and binary attachments stay exact.
 */
export interface EnvelopeItem {
  type: string;
  header: Record<string, unknown>;
  payload: Buffer;
}

export interface Envelope {
  header: Record<string, unknown>;
  items: EnvelopeItem[];
}

export interface ParseEnvelopeOptions {
  /** Items per envelope, at most (each costs work; SDKs send a handful). */
  maxItems?: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const DEFAULT_MAX_ITEMS = 1000;

export function parseEnvelope(body: Buffer, options: ParseEnvelopeOptions = {}): Envelope {
  const maxItems = options.maxItems ?? DEFAULT_MAX_ITEMS;
  if (body.length === 0) throw new FaultlineError('FAULTLINE_ERR_INGEST_BODY_EMPTY');

  let pos = 0;
  const headerEnd = lineEnd(body, 0);
  const header = parseHeaderLine(body, 0, headerEnd, 'header');
  pos = headerEnd + 1;

  const items: EnvelopeItem[] = [];
  while (pos < body.length) {
    const end = lineEnd(body, pos);
    if (isBlank(body, pos, end)) {
      pos = end + 1; // blank lines between items and a trailing newline are tolerated
      continue;
    }
    const path = `items[${items.length}]`;
    if (items.length >= maxItems) {
      throw new FaultlineError('FAULTLINE_ERR_INGEST_ENVELOPE', `An envelope may hold at most ${maxItems} items`, { path });
    }
    const itemHeader = parseHeaderLine(body, pos, end, path);
    const type = itemHeader.type;
    if (typeof type !== 'string' || type === '') {
      throw new FaultlineError('FAULTLINE_ERR_INGEST_ENVELOPE', 'Item header has no type', { path: `${path}.type` });
    }
    pos = end + 1;

    let payload: Buffer;
    if (itemHeader.length !== undefined && itemHeader.length !== null) {
      const length = itemHeader.length;
      if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
        throw new FaultlineError('FAULTLINE_ERR_INGEST_ENVELOPE', 'Item length must be a non-negative integer', { path: `${path}.length` });
      }
      if (pos + length > body.length) {
        throw new FaultlineError('FAULTLINE_ERR_INGEST_ENVELOPE', `Item length ${length} runs past the end of the envelope`, {
          path: `${path}.length`,
        });
      }
      payload = body.subarray(pos, pos + length);
      pos += length;
      if (pos < body.length) {
        if (body[pos] === CARRIAGE_RETURN && body[pos + 1] === NEWLINE) pos++;
        if (body[pos] !== NEWLINE) {
          throw new FaultlineError('FAULTLINE_ERR_INGEST_ENVELOPE', 'Item payload is longer than its length', { path });
        }
        pos++;
      }
    } else {
      if (pos > body.length) {
        throw new FaultlineError('FAULTLINE_ERR_INGEST_ENVELOPE', 'Item header is not followed by a payload', { path });
      }
      const payloadEnd = lineEnd(body, pos);
      payload = body.subarray(pos, stripCarriageReturn(body, pos, payloadEnd));
      pos = payloadEnd + 1;
    }
    items.push({ type, header: itemHeader, payload });
  }
  return { header, items };
}

/** Only the envelope's header line: enough to authenticate by its `dsn` before any item is parsed. */
export function parseEnvelopeHeader(body: Buffer): Record<string, unknown> {
  if (body.length === 0) throw new FaultlineError('FAULTLINE_ERR_INGEST_BODY_EMPTY');
  return parseHeaderLine(body, 0, lineEnd(body, 0), 'header');
}

/** Index of the next newline at or after `from`, or the body's length. */
function lineEnd(body: Buffer, from: number): number {
  const i = body.indexOf(NEWLINE, from);
  return i < 0 ? body.length : i;
}

function stripCarriageReturn(body: Buffer, start: number, end: number): number {
  return end > start && body[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
}

function isBlank(body: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = body[i];
    if (c !== 0x20 && c !== 0x09 && c !== CARRIAGE_RETURN) return false;
  }
  return true;
}

function parseHeaderLine(body: Buffer, start: number, end: number, path: string): Record<string, unknown> {
  const text = body.toString('utf8', start, stripCarriageReturn(body, start, end));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FaultlineError('FAULTLINE_ERR_INGEST_ENVELOPE', `${path === 'header' ? 'Envelope' : 'Item'} header is not valid JSON`, { path });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FaultlineError('FAULTLINE_ERR_INGEST_ENVELOPE', `${path === 'header' ? 'Envelope' : 'Item'} header must be a JSON object`, { path });
  }
  return value as Record<string, unknown>;
}

/** Parses a JSON item payload (an event, a client report) with a coded error naming the item. */
export function parseItemJson(item: EnvelopeItem, index: number): unknown {
  try {
    return JSON.parse(item.payload.toString('utf8'));
  } catch {
    throw new FaultlineError('FAULTLINE_ERR_INGEST_JSON', `Item ${index} (${item.type}) is not valid JSON`, { path: `items[${index}]` });
  }
}
