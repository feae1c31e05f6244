import cors from 'cors';
import { Router } from 'express';
import { FaultlineError } from '../errors.js';
import type { PublicKeyRecord } from '../providers/storage.js';
import { authenticateIngest, chargeRateLimit, nativeIngestKey, type IngestRouteDeps } from './ingest-auth.js';
import { parseJsonBody, readRawBody } from './read-body.js';

const JSON_TYPES = ['application/json', 'text/plain']; // text/plain: what navigator.sendBeacon sends without a preflight

/** `POST /api/v1/events`: one event, or `{ "events": [...] }`. Answers 202 once the events are durable. */
export function nativeIngestRoutes(deps: IngestRouteDeps): Router {
  const router = Router();
  const limits = deps.config.limits;
  const allowBrowsers = cors({
    origin: true,
    methods: ['POST'],
    allowedHeaders: ['authorization', 'content-type', 'x-faultline-key'],
    maxAge: 86400,
  });

  router.options('/api/v1/events', allowBrowsers);
  router.post('/api/v1/events', allowBrowsers, checkContentType, async function authenticate(req, res, next) {
    res.locals.ingestKey = await authenticateIngest(deps, req, nativeIngestKey(req));
    next();
  }, readRawBody(limits.maxBodyBytes), async function ingestNative(req, res) {
    const body = parseJsonBody(req.body);
    const isBatch = body !== null && typeof body === 'object' && !Array.isArray(body) && Array.isArray((body as any).events);
    const events: unknown[] = isBatch ? (body as { events: unknown[] }).events : [body];
    if (events.length === 0) throw new FaultlineError('FAULTLINE_ERR_INGEST_BODY_EMPTY', 'The batch holds no events', { path: 'events' });
    if (events.length > limits.maxEventsPerRequest) {
      throw new FaultlineError('FAULTLINE_ERR_INGEST_BATCH_TOO_LARGE', `At most ${limits.maxEventsPerRequest} events per request`, { path: 'events' });
    }
    if ((req.body as Buffer).length > limits.maxEventBytes) checkEventSizes(events, limits.maxEventBytes, isBatch);
    req.body = undefined; // parsed and checked: don't keep the bytes while the request waits for its batch

    const key = res.locals.ingestKey as PublicKeyRecord;
    await chargeRateLimit(deps, key, events.length);
    const result = await deps.accept({
      projectId: key.projectId,
      events,
      clientIp: deps.clientIp(req),
      pathOf: isBatch ? (i) => `events[${i}]` : undefined,
      route: 'native',
    });
    res.status(202).json(result);
  });
  return router;

  function checkContentType(req: any, _res: any, next: (err?: unknown) => void) {
    const type = (req.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (!JSON_TYPES.includes(type)) {
      return next(new FaultlineError('FAULTLINE_ERR_INGEST_CONTENT_TYPE', `Content type must be application/json, not "${type || 'none'}"`));
    }
    next();
  }
}

/** Only for bodies larger than one event may be: measures each event once. */
function checkEventSizes(events: unknown[], max: number, isBatch: boolean): void {
  for (let i = 0; i < events.length; i++) {
    if (Buffer.byteLength(JSON.stringify(events[i]) ?? '') > max) {
      throw new FaultlineError('FAULTLINE_ERR_INGEST_EVENT_TOO_LARGE', `Event is larger than ${max} bytes`, {
        path: isBatch ? `events[${i}]` : undefined,
      });
    }
  }
}
