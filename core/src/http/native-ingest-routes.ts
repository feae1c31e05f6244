import type { Request, Response } from 'express';
import { FaultlineError } from '../errors.js';
import { authenticateIngest, chargeRateLimit, nativeIngestKey, refuseIfBlocked, type IngestRouteDeps } from './ingest-auth.js';
import type { IngestRoute } from './ingest-route.js';
import { readBody, type BodyLimits } from '../wire/read-body.js';
import { sendJson } from './send-json.js';
import { countEnvelopeItems } from '../sentry/envelope-items.js';
import { errorResponses, preflightOperation, type ApiOperation } from '../openapi/api-operation.js';
import { NATIVE_INGEST_RESULT } from '../openapi/api-shapes.js';

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

/** The operation of this route, for the OpenAPI document; `eventSchema` is the one events are validated with. */
export function nativeIngestOperations(eventSchema: object): ApiOperation[] {
  const batch = {
    type: 'object',
    required: ['events'],
    properties: {
      events: { type: 'array', minItems: 1, items: eventSchema },
      discarded: { type: 'object', additionalProperties: { type: 'integer' }, description: 'What the SDK dropped since its last accepted body, by reason' },
    },
  };
  return [
    {
      method: 'post',
      path: '/api/v1/events',
      operationId: 'ingestEvents',
      summary: 'Send one event, or a batch as `{events: [...]}`',
      description: 'Answers 202 once the events are durable. Events that fail validation are listed in `rejected`; a body where no event is valid answers 400.',
      tags: ['ingest'],
      security: 'publicKey',
      body: { schema: { anyOf: [eventSchema, batch] }, contentTypes: JSON_TYPES },
      responses: {
        202: { description: 'Accepted', schema: NATIVE_INGEST_RESULT },
        ...errorResponses(400, 401, 403, 413, 415, 429, 500, 503),
      },
    },
    preflightOperation('/api/v1/events', 'ingestEventsPreflight', ['ingest']),
  ];
}
