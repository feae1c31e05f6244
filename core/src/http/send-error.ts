import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { FaultlineError, isFaultlineError } from '../errors.js';
import { sendJson } from './send-json.js';

/** Every 503 says when to come back; one that does not name its own wait gets this. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** Writes a FaultlineError as `{ error: { code, message, path } }` with its status and headers. */
export function sendError(res: Response, err: FaultlineError): void {
  const retryAfter = err.retryAfter ?? (err.status === 503 ? DEFAULT_RETRY_AFTER_SECONDS : undefined);
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  for (const [name, value] of Object.entries(err.headers ?? {})) res.setHeader(name, value);
  sendJson(res, err.status, err.toJSON());
}

/** body-parser's errors, as coded errors. */
function fromBodyParser(err: any): FaultlineError | null {
  switch (err?.type) {
    case 'entity.too.large':
      return new FaultlineError('FAULTLINE_ERR_INGEST_BODY_TOO_LARGE', `Body is larger than ${err.limit} bytes`);
    case 'encoding.unsupported':
      return new FaultlineError('FAULTLINE_ERR_INGEST_ENCODING', `Unsupported content encoding "${err.encoding ?? ''}"`);
    case 'entity.parse.failed':
      return new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', 'Body is not valid JSON', { path: 'body' });
    case 'request.aborted':
      return new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', 'Request aborted');
    case 'request.size.invalid':
      return new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', 'Request size did not match Content-Length');
    case 'stream.encoding.set':
    case 'charset.unsupported':
      return new FaultlineError('FAULTLINE_ERR_INGEST_ENCODING', err.message);
  }
  // zlib errors while inflating a corrupt gzip/deflate body
  if (typeof err?.code === 'string' && err.code.startsWith('Z_')) {
    return new FaultlineError('FAULTLINE_ERR_INGEST_ENCODING', 'Body could not be decompressed');
  }
  return null;
}

/** The coded error an error is answered as, or null for an unexpected one (answered as FAULTLINE_ERR_INTERNAL). */
export function knownError(err: unknown): FaultlineError | null {
  return isFaultlineError(err) ? err : fromBodyParser(err);
}

/** The last middleware of the router: every error becomes a coded JSON answer; the unexpected are logged. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return function faultlineErrorHandler(err, req, res, next) {
    if (res.headersSent) return next(err);
    const known = knownError(err);
    if (known) return sendError(res, known);
    log.error({ err, method: req.method, url: withoutKeys(req.originalUrl) }, 'unexpected error');
    sendError(res, new FaultlineError('FAULTLINE_ERR_INTERNAL'));
  };
}

/** Public keys ride in query strings (`sentry_key`, `faultline_key`); a log line keeps only their names. */
export function withoutKeys(url: string): string {
  return url.replace(/([?&](?:sentry_key|sentry_secret|faultline_key)=)[^&#]*/gi, '$1[redacted]');
}
