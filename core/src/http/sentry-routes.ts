import type { Request } from 'express';
import { FaultlineError } from '../errors.js';
import { decompressBody } from '../wire/decompress-body.js';
import { readBody, type BodyLimits } from '../wire/read-body.js';
import { authenticateIngest, chargeRateLimit, rateLimited, refuseIfBlocked, type IngestRouteDeps } from './ingest-auth.js';
import type { IngestRoute } from './ingest-route.js';
import { sendJson } from './send-json.js';
import type { PublicKeyRecord } from '../providers/storage.js';
import type { BodyInfo } from '../ingest/ingest-job.js';
import { countEnvelopeItems } from '../sentry/envelope-items.js';
import { parseEnvelopeHeader } from '../sentry/parse-envelope.js';
import { sentryRateLimitHeaders } from '../sentry/rate-limit-headers.js';
import { keyFromDsn as parseDsnKey, sentryClient, sentryRequestKey } from '../sentry/sentry-auth.js';
import { errorResponses, preflightOperation, type ApiOperation, type ApiResponse } from '../openapi/api-operation.js';
import { SENTRY_RESULT } from '../openapi/api-shapes.js';

/** Sentry's limit on a request as sent (compressed): 20 MiB. */
export const SENTRY_MAX_COMPRESSED_BYTES = 20 * 1024 * 1024;

/**
 * The Sentry protocol, so unmodified Sentry SDKs can report to Faultline: `POST /api/:projectId/envelope/`
 * and the older `POST /api/:projectId/store/` (the paths are matched in ingest-routes.ts). The key comes from `?sentry_key=`, `X-Sentry-Auth`, or the
 * envelope header's `dsn`. Answers `200 {"id": "<event_id>"}`; 429s carry `X-Sentry-Rate-Limits`.
 */
export function sentryIngestRoutes(deps: IngestRouteDeps): { envelope: IngestRoute<[projectId: number]>; store: IngestRoute<[projectId: number]> } {
  const limits = deps.config.limits;
  const bodyLimits: BodyLimits = { maxCompressedBytes: SENTRY_MAX_COMPRESSED_BYTES, maxBytes: limits.maxBodyBytes };
  return {
    envelope: {
      async ingest(req, res, projectId) {
        let key = await keyFromRequest(req, projectId);
        let { bytes, encoding } = await readBody(req, bodyLimits, deps.bodyBudget, key?.id ?? null);
        if (!key) {
          // No key in the URL or headers: the envelope header's dsn is read before any item is parsed.
          bytes = await decompressBody(bytes, encoding, limits.maxBodyBytes);
          encoding = 'identity';
          key = await keyFromDsn(req, projectId, parseEnvelopeHeader(bytes).dsn);
        }
        const admitted = key;
        const blockedFor = deps.blockedKeys.retryAfter(key.id);
        const job = { kind: 'envelope', body: bytes, encoding, projectId: key.projectId, receivedAt: Date.now(), clientIp: deps.clientIp(req), refuseEvents: blockedFor > 0 } as const;
        const admit = async (events: number, { envelope }: BodyInfo) => {
          countEnvelopeItems(deps.metrics, envelope!);
          if (envelope!.refusedEvents > 0) throw rateLimited(blockedFor, sentryRateLimitHeaders);
          await chargeRateLimit(deps, admitted, events, sentryRateLimitHeaders);
        };
        const { info, result } = await deps.runIngest(job, admit, 'sentry');
        // What got through (sessions, reports) while the key's events are limited: say so, as Relay
        // does, so the SDK holds its events back instead of sending them to a 429.
        const limitedFor = deps.blockedKeys.retryAfter(admitted.id);
        if (limitedFor > 0) for (const [name, value] of Object.entries(sentryRateLimitHeaders(limitedFor))) res.setHeader(name, value);
        sendJson(res, 200, { id: result.ids[0] ?? info.envelope?.headerEventId ?? null });
      },
    },
    store: {
      async ingest(req, res, projectId) {
        const key = await keyFromRequest(req, projectId);
        if (!key) throw new FaultlineError('FAULTLINE_ERR_AUTH_MISSING', 'A public key is required (sentry_key or X-Sentry-Auth)');
        refuseIfBlocked(deps, key, sentryRateLimitHeaders); // a store body is always an event
        const { bytes, encoding } = await readBody(req, bodyLimits, deps.bodyBudget, key.id);
        const job = { kind: 'store', body: bytes, encoding, projectId: key.projectId, receivedAt: Date.now(), clientIp: deps.clientIp(req), sentryClient: sentryClient(req) } as const;
        const { result } = await deps.runIngest(job, (events) => chargeRateLimit(deps, key, events, sentryRateLimitHeaders), 'sentry');
        sendJson(res, 200, { id: result.ids[0] ?? null });
      },
    },
  };

  /** A key in the URL or a header is checked before the body is read; an envelope's `dsn` only after. */
  async function keyFromRequest(req: Request, projectId: number): Promise<PublicKeyRecord | undefined> {
    const key = sentryRequestKey(req);
    return key === undefined ? undefined : authenticateIngest(deps, req, key, { projectId });
  }

  async function keyFromDsn(req: Request, projectId: number, dsn: unknown): Promise<PublicKeyRecord> {
    const fromDsn = parseDsnKey(dsn);
    if (!fromDsn) {
      throw new FaultlineError('FAULTLINE_ERR_AUTH_MISSING', 'A public key is required (sentry_key, X-Sentry-Auth, or the envelope header dsn)');
    }
    if (fromDsn.projectId !== undefined && fromDsn.projectId !== projectId) throw new FaultlineError('FAULTLINE_ERR_AUTH_PROJECT_MISMATCH');
    return authenticateIngest(deps, req, fromDsn.publicKey, { projectId });
  }
}

const sentryErrors: Record<number, ApiResponse> = errorResponses(400, 401, 403, 413, 415, 429, 500, 503);
sentryErrors[429] = {
  ...sentryErrors[429],
  headers: {
    ...sentryErrors[429].headers,
    'X-Sentry-Rate-Limits': { description: 'Sentry’s rate-limit header: `<seconds>:<categories>:key`', schema: { type: 'string' } },
  },
};
const projectIdParams = { type: 'object', required: ['projectId'], properties: { projectId: { type: 'integer', minimum: 0, maximum: 999999999999999 } } };

/** The operations of these routes, for the OpenAPI document. Both paths also answer with a final slash, as SDKs send them. */
export const sentryOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/{projectId}/envelope',
    operationId: 'sentryEnvelope',
    summary: 'Sentry envelope endpoint, for unmodified Sentry SDKs',
    description: 'The key comes from `?sentry_key=`, `X-Sentry-Auth`, or the envelope header’s `dsn`. Bodies may be gzip, deflate or br compressed.',
    tags: ['sentry'],
    security: 'sentryKeyOrDsn',
    params: projectIdParams,
    body: { schema: { type: 'string', description: 'A Sentry envelope: a JSON header line, then items' }, contentTypes: ['application/x-sentry-envelope'] },
    responses: { 200: { description: 'Accepted', schema: SENTRY_RESULT }, ...sentryErrors },
  },
  {
    method: 'post',
    path: '/api/{projectId}/store',
    operationId: 'sentryStore',
    summary: 'Sentry’s older store endpoint: one event as JSON',
    tags: ['sentry'],
    security: 'sentryKey',
    params: projectIdParams,
    body: { schema: { type: 'object', description: 'A Sentry event (very old clients: base64 zlib JSON); any content type' }, contentTypes: ['application/json', 'text/plain'] },
    responses: { 200: { description: 'Accepted', schema: SENTRY_RESULT }, ...sentryErrors },
  },
  preflightOperation('/api/{projectId}/envelope', 'sentryEnvelopePreflight', ['sentry'], projectIdParams),
  preflightOperation('/api/{projectId}/store', 'sentryStorePreflight', ['sentry'], projectIdParams),
];
