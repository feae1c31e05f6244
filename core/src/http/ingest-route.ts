import cors from 'cors';
import type { Request, RequestHandler, Response } from 'express';

/** One ingest endpoint's POST (a Sentry route gets the project id of its path). */
export interface IngestRoute<Args extends unknown[] = []> {
  ingest(req: Request, res: Response, ...args: Args): Promise<void>;
}

/**
 * The CORS answer of every ingest route (native and Sentry), preflight and POST alike, so a page on
 * another origin can read what the SDKs act on: Retry-After on 429 and 503, the rate-limit headers,
 * Sentry's X-Sentry-Rate-Limits and X-Sentry-Error. One list, so no route can forget one.
 */
export const ingestCors: RequestHandler = cors({
  origin: true,
  methods: ['POST', 'OPTIONS'],
  allowedHeaders: ['content-type', 'content-encoding', 'authorization', 'x-faultline-key', 'x-sentry-auth', 'sentry-trace', 'baggage'],
  exposedHeaders: ['retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'x-sentry-rate-limits', 'x-sentry-error'],
  maxAge: 86400,
});

/** Sets the CORS headers of an answer with a `cors` middleware, which is synchronous for static options. */
export function applyCors(middleware: RequestHandler, req: Request, res: Response): void {
  middleware(req, res, (err?: unknown) => {
    if (err) throw err;
  });
}
