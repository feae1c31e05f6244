import { Router } from 'express';
import type { IngestRouteDeps } from '../http/ingest-auth.js';

/** Sentry protocol routes (envelope and store). Being written: see issue #4. */
export function sentryRoutes(_deps: IngestRouteDeps): Router {
  return Router();
}
