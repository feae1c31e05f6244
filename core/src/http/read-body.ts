import express, { type RequestHandler } from 'express';
import { FaultlineError } from '../errors.js';

/**
 * Reads the body as bytes, inflating gzip, deflate and br; the limit applies to the inflated size,
 * so a compression bomb stops at the limit with a 413.
 */
export function readRawBody(limitBytes: number): RequestHandler {
  return express.raw({ type: () => true, limit: limitBytes, inflate: true });
}

/** Parses a body read by `readRawBody`, with coded errors for empty and malformed input. */
export function parseJsonBody(body: unknown): unknown {
  if (!Buffer.isBuffer(body) || body.length === 0) throw new FaultlineError('FAULTLINE_ERR_INGEST_BODY_EMPTY');
  return parseJsonText(body.toString('utf8'));
}

const NUL_ESCAPE = '\\u0000';

/**
 * JSON.parse for event payloads. PostgreSQL text cannot hold NUL, so a payload that escapes one gets it
 * removed from every string and key; only such payloads pay for the reviver.
 */
export function parseJsonText(text: string, what = 'Body'): unknown {
  try {
    return text.includes(NUL_ESCAPE) ? JSON.parse(text, withoutNul) : JSON.parse(text);
  } catch (err) {
    throw new FaultlineError('FAULTLINE_ERR_INGEST_JSON', `${what} is not valid JSON: ${(err as Error).message}`);
  }
}

function withoutNul(this: Record<string, unknown>, key: string, value: unknown): unknown {
  if (key.includes('\u0000')) {
    const clean = key.replace(/\u0000/g, '');
    if (!(clean in this)) this[clean] = typeof value === 'string' ? value.replace(/\u0000/g, '') : value;
    return undefined;
  }
  return typeof value === 'string' && value.includes('\u0000') ? value.replace(/\u0000/g, '') : value;
}
