import type { Request, Response } from 'express';
import { FaultlineError } from '../errors.js';
import { authenticateIngest, chargeRateLimit, nativeIngestKey, refuseIfBlocked, type IngestRouteDeps } from './ingest-auth.js';
import type { IngestRoute } from './ingest-route.js';
import { readBody, type BodyLimits } from '../wire/read-body.js';
import { sendJson } from './send-json.js';
import { countEnvelopeItems } from '../sentry/envelope-items.js';

const JSON_TYPES = ['application/json', 'text/plain']; // text/plain: what navigator.sendBeacon sends without a preflight

/** `POST /api/v1/events`: one event, or `{ "events": [...] }`. Answers 202 once the events are durable. */
export function nativeIngestRoute(deps: IngestRouteDeps): IngestRoute {
  const limits = deps.config.limits;
  const bodyLimits: BodyLimits = { maxCompressedBytes: limits.maxBodyBytes, maxBytes: limits.maxBodyBytes };
  return {
    async ingest(req: Request, res: Response) {
      checkContentType(req);
      const key = await authenticateIngest(deps, req, nativeIngestKey(req));
      refuseIfBlocked(deps, key);
      const { bytes, encoding } = await readBody(req, bodyLimits, deps.bodyBudget, key.id);
      const job = { kind: 'native', body: bytes, encoding, projectId: key.projectId, receivedAt: Date.now(), clientIp: deps.clientIp(req) } as const;
      const { info, result } = await deps.runIngest(job, (events) => chargeRateLimit(deps, key, events), 'native');
      // counted once the body is accepted: a refused one comes again with the same counts
      countEnvelopeItems(deps.metrics, { dropped: {}, discarded: info.discarded ?? [] });
      sendJson(res, 202, result);
    },
  };
}

function checkContentType(req: Request): void {
  const type = (req.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (!JSON_TYPES.includes(type)) {
    throw new FaultlineError('FAULTLINE_ERR_INGEST_CONTENT_TYPE', `Content type must be application/json, not "${type || 'none'}"`);
  }
}
