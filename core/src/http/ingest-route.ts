import type { Request, RequestHandler, Response } from 'express';

/** One ingest endpoint: its CORS preflight and its POST, which gets the project id from the path (Sentry). */
export interface IngestRoute {
  preflight: RequestHandler;
  ingest(req: Request, res: Response, projectId: number): Promise<void>;
}

/** Sets the CORS headers of an answer with a `cors` middleware, which is synchronous for static options. */
export function applyCors(middleware: RequestHandler, req: Request, res: Response): void {
  middleware(req, res, (err?: unknown) => {
    if (err) throw err;
  });
}
