import { promisify } from 'node:util';
import zlib, { type ZlibOptions } from 'node:zlib';
import { FaultlineError } from '../errors.js';

type Codec = 'identity' | 'gzip' | 'inflate' | 'inflateRaw' | 'brotli';

const ASYNC = {
  gzip: promisify(zlib.gunzip),
  inflate: promisify(zlib.inflate),
  inflateRaw: promisify(zlib.inflateRaw),
  brotli: promisify(zlib.brotliDecompress),
} as const;
const SYNC = { gzip: zlib.gunzipSync, inflate: zlib.inflateSync, inflateRaw: zlib.inflateRawSync, brotli: zlib.brotliDecompressSync } as const;

/**
 * A body as sent, decompressed per its `Content-Encoding` (gzip, deflate zlib-wrapped or raw, br), with
 * zlib's `maxOutputLength` so a bomb never inflates past `maxBytes`. On the main thread the async form
 * (zlib's thread pool); in an ingest thread the sync one.
 */
export async function decompressBody(raw: Uint8Array, encoding: string, maxBytes: number): Promise<Buffer> {
  const codec = codecOf(raw, encoding);
  if (codec === 'identity') return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength); // a view, not a copy
  try {
    return await ASYNC[codec](raw, options(maxBytes));
  } catch (err) {
    throw decompressError(err, encoding, maxBytes);
  }
}

export function decompressBodySync(raw: Uint8Array, encoding: string, maxBytes: number): Buffer {
  const codec = codecOf(raw, encoding);
  if (codec === 'identity') return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength); // a view, not a copy
  try {
    return SYNC[codec](raw, options(maxBytes));
  } catch (err) {
    throw decompressError(err, encoding, maxBytes);
  }
}

function codecOf(raw: Uint8Array, encoding: string): Codec {
  switch (encoding.trim().toLowerCase()) {
    case 'identity':
    case '':
      return 'identity';
    case 'gzip':
    case 'x-gzip':
      return 'gzip';
    case 'deflate':
      // RFC 9110 deflate is zlib-wrapped; some clients send the raw stream. The first byte tells them apart.
      return (raw[0] & 0x0f) === 8 && ((raw[0] << 8) | raw[1]) % 31 === 0 ? 'inflate' : 'inflateRaw';
    case 'br':
      return 'brotli';
    default:
      throw new FaultlineError('FAULTLINE_ERR_INGEST_ENCODING', `Unsupported content encoding "${encoding}"`);
  }
}

/**
 * 64 KB output chunks: one for a typical gzipped SDK event (Sentry's SDKs compress bodies over 32 KiB),
 * where zlib's default 16 KB made four and a copy to join them (gunzip of bench:sentry's 50 KB events,
 * best of 10, both sizes taking turns in one process: 65 -> 42 µs). The chunk is transient: payloads
 * are copied out of the body.
 */
function options(maxBytes: number): ZlibOptions {
  return { maxOutputLength: maxBytes, chunkSize: 64 * 1024 };
}

function decompressError(err: unknown, encoding: string, maxBytes: number): FaultlineError {
  if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
    return new FaultlineError('FAULTLINE_ERR_INGEST_BODY_TOO_LARGE', `Body is larger than ${maxBytes} bytes (decompressed)`);
  }
  return new FaultlineError('FAULTLINE_ERR_INGEST_ENCODING', `Body could not be decompressed (${encoding})`);
}
