import { inflateSync } from 'node:zlib';
import { FaultlineError } from '../errors.js';
import { parseJsonText } from '../wire/read-body.js';
import { mapSentryEvent } from './map-sentry-event.js';

export interface SentryClient {
  name: string;
  version: string;
}

/**
 * A store body is one event as JSON; very old clients send it zlib-compressed and base64-encoded.
 * It is checked against the per-event limit after decompression, then mapped to a canonical event;
 * `sent` is its JSON as sent (decoded, if it was). An event without `sdk` gets the request's `sentry_client`
 * (raven-js names itself only there); `sent` is then undefined, so the event is stored as mapped.
 */
export function decodeStoreBody(body: Buffer, maxEventBytes: number, client?: SentryClient): { event: unknown; sent: Buffer | undefined; lossy: boolean } {
  if (body.length === 0) throw new FaultlineError('FAULTLINE_ERR_INGEST_BODY_EMPTY');
  let json = body;
  const first = body.find((c) => c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09);
  if (first !== undefined && first !== 0x7b /* { */) json = legacyEncoded(body, maxEventBytes);
  if (json.length > maxEventBytes) throw new FaultlineError('FAULTLINE_ERR_INGEST_EVENT_TOO_LARGE', `Event is larger than ${maxEventBytes} bytes`);
  const loss = { lossy: false };
  const event = mapSentryEvent(parseJsonText(json.toString('utf8')), loss);
  if (client && event && typeof event === 'object' && !Array.isArray(event) && (event as { sdk?: unknown }).sdk === undefined) {
    (event as { sdk?: SentryClient }).sdk = { name: client.name, version: client.version };
    return { event, sent: undefined, lossy: loss.lossy };
  }
  return { event, sent: json, lossy: loss.lossy };
}

function legacyEncoded(body: Buffer, maxEventBytes: number): Buffer {
  const text = body.toString('latin1').trim();
  if (!/^[A-Za-z0-9+/=_-]+$/.test(text)) return body; // not base64: let JSON.parse say what is wrong
  try {
    return inflateSync(Buffer.from(text, 'base64'), { maxOutputLength: maxEventBytes + 1 });
  } catch {
    throw new FaultlineError('FAULTLINE_ERR_INGEST_JSON', 'Body is neither JSON nor base64-encoded zlib JSON');
  }
}
