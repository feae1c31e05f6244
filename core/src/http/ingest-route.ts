import type { Request, RequestHandler, Response } from 'express';

/** One ingest endpoint: its CORS preflight and its POST (a Sentry route gets the project id of its path). */
export interface IngestRoute<Args extends unknown[] = []> {
  preflight: RequestHandler;
  ingest(req: Request, res: Response, ...args: Args): Promise<void>;
}

/** Sets the CORS headers of an answer with a `cors` middleware, which is synchronous for static options. */
export function applyCors(middleware: RequestHandler, req: Request, res: Response): void {
  middleware(req, res, (err?: unknown) => {
    if (err) throw err;
  });
}
