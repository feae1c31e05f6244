import type { Request } from 'express';
import getRawBody from 'raw-body';
import { FaultlineError, isFaultlineError } from '../errors.js';
import type { BodyBudget, BodyReservation } from './body-budget.js';

export interface BodyLimits {
  /** Bytes on the wire (compressed, if it is). */
  maxCompressedBytes: number;
  /** Bytes after decompression; a compression bomb stops here (see decompressBody). */
  maxBytes: number;
}

/** An ingest request body as sent, and how it is encoded; decompressing is ingest's job (in a thread). */
export interface RawBody {
  bytes: Buffer;
  encoding: string;
}

/**
 * Reads an ingest request body as bytes with a limit on the bytes received (an uncompressed body is
 * held to the decompressed limit too, at once). Handles a host app's body parser having read it first.
 */
export async function readBody(req: Request, limits: BodyLimits, budget?: BodyBudget, keyId: number | null = null): Promise<RawBody> {
  const encoding = (req.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (Buffer.isBuffer(req.body)) return { bytes: req.body, encoding: 'identity' }; // a host app's body parser got there first (and inflated it)
  if (typeof req.body === 'string') return { bytes: Buffer.from(req.body, 'utf8'), encoding: 'identity' };

  const plain = encoding === 'identity' || encoding === '';
  const declared = Number(req.get('content-length'));
  const hasLength = req.get('content-length') !== undefined && Number.isFinite(declared);
  if (hasLength && declared > limits.maxCompressedBytes) throw tooLarge(limits.maxCompressedBytes, plain ? 'as sent' : 'compressed');
  const max = plain ? Math.min(limits.maxCompressedBytes, limits.maxBytes) : limits.maxCompressedBytes;
  const reservation = budget?.open(keyId);
  if (reservation) {
    // Held until the answer is sent: decompressing, parsing and queueing the body cost memory too.
    (req.res ?? req).once('close', () => reservation.release());
    if (hasLength) reservation.add(declared, true);
  }
  return { bytes: await collect(req, max, plain ? 'as sent' : 'compressed', hasLength ? undefined : reservation), encoding };
}

/**
 * The request's bytes, failing with 413 as soon as they pass `max` (raw-body, as express.raw uses), and
 * with the budget's 503 as soon as a body of unknown length no longer fits in `reservation`.
 */
async function collect(req: Request, max: number, what: Parameters<typeof tooLarge>[1], reservation?: BodyReservation): Promise<Buffer> {
  if (req.readableEnded) throw new FaultlineError('FAULTLINE_ERR_INGEST_BODY_EMPTY', 'The request body was already consumed');
  const count = (chunk: Buffer) => {
    try {
      reservation!.add(chunk.length, true);
    } catch (err) {
      req.emit('error', err); // raw-body stops reading and rejects with it
    }
  };
  if (reservation) req.on('data', count);
  try {
    return await getRawBody(req, { limit: max });
  } catch (err) {
    if (isFaultlineError(err)) throw err;
    if ((err as { type?: string }).type === 'entity.too.large') throw tooLarge(max, what);
    throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', 'Request body could not be read');
  } finally {
    if (reservation) req.off('data', count);
  }
}

function tooLarge(limit: number, what: 'compressed' | 'as sent'): FaultlineError {
  return new FaultlineError('FAULTLINE_ERR_INGEST_BODY_TOO_LARGE', `Body is larger than ${limit} bytes (${what})`);
}

/** Parses a decompressed body, with coded errors for empty and malformed input. */
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
