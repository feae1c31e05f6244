import cors from 'cors';
import type { Request, RequestHandler, Response } from 'express';

/** One ingest endpoint's POST (a Sentry route gets the project id of its path). */
export interface IngestRoute<Args extends unknown[] = []> {
  ingest(req: Request, res: Response, ...args: Args): Promise<void>;
}

/** Headers an SDK acts on: Retry-After on 429 and 503, the rate-limit headers, Sentry's own. */
const EXPOSED_HEADERS = ['retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'x-sentry-rate-limits', 'x-sentry-error'];

/**
 * The CORS answer of an ingest route, preflight and POST alike. Every ingest route gets it from here,
 * so a page on another origin can read the same headers from all of them; only the request headers
 * a route accepts differ.
 */
export function ingestCors(allowedHeaders: string[]): RequestHandler {
  return cors({ origin: true, methods: ['POST', 'OPTIONS'], allowedHeaders, exposedHeaders: EXPOSED_HEADERS, maxAge: 86400 });
}

/** Sets the CORS headers of an answer with a `cors` middleware, which is synchronous for static options. */
export function applyCors(middleware: RequestHandler, req: Request, res: Response): void {
  middleware(req, res, (err?: unknown) => {
    if (err) throw err;
  });
}
