import type { RequestHandler } from 'express';
import { sentryIngestRoutes, sentryOperations } from './sentry-routes.js';
import type { IngestRouteDeps } from './ingest-auth.js';
import { applyCors, ingestCors } from './ingest-route.js';
import { nativeIngestOperations, nativeIngestRoute } from './native-ingest-routes.js';
import { knownError } from './send-error.js';
import type { Metrics } from '../metrics.js';
import type { ApiOperation } from '../openapi/api-operation.js';

/** `/api/v1/events`, `/api/<project id>/envelope` and `/api/<project id>/store`, with or without a final slash. */
export const INGEST_PATH = /^\/api\/(?:v1\/(events)|(\d{1,15})\/(envelope|store))\/?$/i;

/**
 * Every ingest route: the native API and the Sentry protocol, and their CORS preflights, matched by
 * one regular expression rather than Express's router: ingest is the hot path, and the
 * router's nested layers cost CPU and closures that live as long as the request, long enough to be
 * promoted and collected by full GCs (heap sampling; a floor test of one 50 KB POST: bare node:http
 * 0.07 ms of CPU, through Express's routers and res.json 0.19 ms). Matching follows Express's defaults:
 * case-insensitive, a trailing slash optional.
 */
export function ingestRoutes(deps: IngestRouteDeps): RequestHandler {
  const native = nativeIngestRoute(deps);
  const sentry = sentryIngestRoutes(deps);
  const nativeCors = ingestCors(['authorization', 'content-type', 'x-faultline-key']);
  const sentryCors = ingestCors(['content-type', 'content-encoding', 'x-sentry-auth', 'authorization', 'sentry-trace', 'baggage']);

  return function ingest(req, res, next) {
    if (req.method !== 'POST' && req.method !== 'OPTIONS') return next();
    const match = INGEST_PATH.exec(req.path);
    if (!match) return next();
    const [, isNative, projectId, kind] = match;
    const sentryRoute = isNative ? undefined : sentry[kind.toLowerCase() as 'envelope' | 'store'];
    const cors = sentryRoute ? sentryCors : nativeCors;
    if (req.method === 'OPTIONS') return cors(req, res, next);
    applyCors(cors, req, res);
    const ingesting = sentryRoute ? sentryRoute.ingest(req, res, Number(projectId)) : native.ingest(req, res);
    ingesting.catch((err: unknown) => {
      countRejection(deps.metrics, err);
      next(err);
    });
  };
}

/**
 * Every refused ingest request passes here, on every ingest route and whatever refused it (key,
 * origin, size, encoding, JSON, schema, hooks, rate limit, overload, storage): counted once by the
 * code and status it is answered with (send-error.ts).
 */
function countRejection(metrics: Metrics, err: unknown): void {
  const known = knownError(err);
  metrics.eventsRejected.inc({ code: known?.code ?? 'FAULTLINE_ERR_INTERNAL', status: known?.status ?? 500 });
}

/**
 * The operations of the paths INGEST_PATH matches, for the OpenAPI document. The router walk of the
 * openapi test cannot see them, so a path added to INGEST_PATH is added here and to its test.
 */
export function ingestOperations(eventSchema: object): ApiOperation[] {
  return [...nativeIngestOperations(eventSchema), ...sentryOperations];
}
