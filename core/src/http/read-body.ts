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

/** JSON.parse of a request body, with a coded 400 that says what is wrong. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new FaultlineError('FAULTLINE_ERR_INGEST_JSON', `Body is not valid JSON: ${(err as Error).message}`);
  }
}
