import type { Request } from 'express';
import { promisify } from 'node:util';
import getRawBody from 'raw-body';
import zlib from 'node:zlib';
import { FaultlineError } from '../errors.js';

export interface SentryBodyLimits {
  /** Bytes on the wire (compressed, if it is): Sentry's 20 MiB. */
  maxCompressedBytes: number;
  /** Bytes after decompression; a compression bomb stops here. */
  maxBytes: number;
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

/**
 * Reads a Sentry request body as bytes with two limits, like Sentry's: one on the bytes received, one
 * on the bytes after decompression (zlib's `maxOutputLength`, so a bomb never inflates past it).
 * Handles `Content-Encoding` gzip, deflate (zlib-wrapped or raw, as clients disagree) and br.
 */
export async function readSentryBody(req: Request, limits: SentryBodyLimits): Promise<Buffer> {
  const encoding = (req.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (Buffer.isBuffer(req.body)) return req.body; // a host app's body parser got there first (and inflated it)
  if (typeof req.body === 'string') return Buffer.from(req.body, 'utf8');

  const plain = encoding === 'identity' || encoding === '';
  const declared = Number(req.get('content-length'));
  if (Number.isFinite(declared) && declared > limits.maxCompressedBytes) throw tooLarge(limits.maxCompressedBytes, plain ? 'as sent' : 'compressed');
  const raw = await collect(req, plain ? Math.min(limits.maxCompressedBytes, limits.maxBytes) : limits.maxCompressedBytes, plain ? 'as sent' : 'compressed');
  return decompress(raw, encoding, limits.maxBytes);
}

async function decompress(raw: Buffer, encoding: string, maxBytes: number): Promise<Buffer> {
  const options = { maxOutputLength: maxBytes };
  try {
    switch (encoding) {
      case 'identity':
      case '':
        return raw;
      case 'gzip':
      case 'x-gzip':
        return await gunzip(raw, options);
      case 'deflate':
        // RFC 9110 deflate is zlib-wrapped; some clients send the raw stream. The first byte tells them apart.
        return (raw[0] & 0x0f) === 8 && ((raw[0] << 8) | raw[1]) % 31 === 0 ? await inflate(raw, options) : await inflateRaw(raw, options);
      case 'br':
        return await brotli(raw, options);
      default:
        throw new FaultlineError('FAULTLINE_ERR_INGEST_ENCODING', `Unsupported content encoding "${encoding}"`);
    }
  } catch (err) {
    if (err instanceof FaultlineError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes, 'decompressed');
    throw new FaultlineError('FAULTLINE_ERR_INGEST_ENCODING', `Body could not be decompressed (${encoding})`);
  }
}

/** The request's bytes, failing with 413 as soon as they pass `max` (raw-body, as express.raw uses). */
async function collect(req: Request, max: number, what: Parameters<typeof tooLarge>[1]): Promise<Buffer> {
  if (req.readableEnded) throw new FaultlineError('FAULTLINE_ERR_INGEST_BODY_EMPTY', 'The request body was already consumed');
  try {
    return await getRawBody(req, { limit: max });
  } catch (err) {
    if ((err as { type?: string }).type === 'entity.too.large') throw tooLarge(max, what);
    throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', 'Request body could not be read');
  }
}

function tooLarge(limit: number, what: 'compressed' | 'decompressed' | 'as sent'): FaultlineError {
  return new FaultlineError('FAULTLINE_ERR_INGEST_BODY_TOO_LARGE', `Body is larger than ${limit} bytes (${what})`);
}
