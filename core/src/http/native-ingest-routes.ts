import cors from 'cors';
import { Router } from 'express';
import { FaultlineError } from '../errors.js';
import type { PublicKeyRecord } from '../providers/storage.js';
import { authenticateIngest, chargeRateLimit, nativeIngestKey, type IngestRouteDeps } from './ingest-auth.js';
import { readBody, type BodyLimits } from './read-body.js';

const JSON_TYPES = ['application/json', 'text/plain']; // text/plain: what navigator.sendBeacon sends without a preflight

/** `POST /api/v1/events`: one event, or `{ "events": [...] }`. Answers 202 once the events are durable. */
export function nativeIngestRoutes(deps: IngestRouteDeps): Router {
  const router = Router();
  const limits = deps.config.limits;
  const bodyLimits: BodyLimits = { maxCompressedBytes: limits.maxBodyBytes, maxBytes: limits.maxBodyBytes };
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
  }, async function ingestNative(req, res) {
    const key = res.locals.ingestKey as PublicKeyRecord;
    const { bytes, encoding } = await readBody(req, bodyLimits);
    const job = { kind: 'native', body: bytes, encoding, projectId: key.projectId, receivedAt: Date.now(), clientIp: deps.clientIp(req) } as const;
    const { result } = await deps.runIngest(job, (events) => chargeRateLimit(deps, key, events), 'native');
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
