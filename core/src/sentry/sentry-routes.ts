import cors from 'cors';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { FaultlineError } from '../errors.js';
import { decompressBody } from '../http/decompress-body.js';
import { readBody, type BodyLimits } from '../http/read-body.js';
import { authenticateIngest, chargeRateLimit, type IngestRouteDeps } from '../http/ingest-auth.js';
import type { PublicKeyRecord } from '../providers/storage.js';
import type { BodyInfo } from '../ingest/ingest-job.js';
import { countEnvelopeItems } from './envelope-items.js';
import { parseEnvelopeHeader } from './parse-envelope.js';
import { sentryRateLimitHeaders } from './rate-limit-headers.js';
import { keyFromDsn, sentryRequestKey } from './sentry-auth.js';

/** Sentry's limit on a request as sent (compressed): 20 MiB. */
export const SENTRY_MAX_COMPRESSED_BYTES = 20 * 1024 * 1024;

const PROJECT_ID = /^\d{1,15}$/;

/**
 * The Sentry protocol, so unmodified Sentry SDKs can report to Faultline: `POST /api/:projectId/envelope/`
 * and the older `POST /api/:projectId/store/`. The key comes from `?sentry_key=`, `X-Sentry-Auth`, or the
 * envelope header's `dsn`. Answers `200 {"id": "<event_id>"}`; 429s carry `X-Sentry-Rate-Limits`.
 */
export function sentryRoutes(deps: IngestRouteDeps): Router {
  const router = Router();
  const limits = deps.config.limits;
  const bodyLimits: BodyLimits = { maxCompressedBytes: SENTRY_MAX_COMPRESSED_BYTES, maxBytes: limits.maxBodyBytes };
  const allowBrowsers = cors({
    origin: true,
    methods: ['POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'content-encoding', 'x-sentry-auth', 'authorization', 'sentry-trace', 'baggage'],
    exposedHeaders: ['x-sentry-rate-limits', 'retry-after', 'x-sentry-error'],
    maxAge: 86400,
  });

  for (const kind of ['envelope', 'store'] as const) router.options(`/api/:projectId/${kind}`, onlyProjectIds, allowBrowsers);
  router.post('/api/:projectId/envelope', onlyProjectIds, allowBrowsers, authenticateFromRequest, async function ingestEnvelope(req, res) {
    let { bytes, encoding } = await readBody(req, bodyLimits);
    let key = res.locals.sentryKey as PublicKeyRecord | undefined;
    if (!key) {
      // No key in the URL or headers: the envelope header's dsn is read before any item is parsed.
      bytes = await decompressBody(bytes, encoding, limits.maxBodyBytes);
      encoding = 'identity';
      key = await authenticateFromDsn(req, parseEnvelopeHeader(bytes).dsn);
    }
    const job = { kind: 'envelope', body: bytes, encoding, projectId: key.projectId, receivedAt: Date.now(), clientIp: deps.clientIp(req) } as const;
    const admit = async (events: number, { envelope }: BodyInfo) => {
      countEnvelopeItems(deps.metrics, envelope!);
      await chargeRateLimit(deps, key, events, sentryRateLimitHeaders);
    };
    const { info, result } = await deps.runIngest(job, admit, 'sentry');
    res.status(200).json({ id: result.ids[0] ?? info.envelope?.headerEventId ?? null });
  });
  router.post('/api/:projectId/store', onlyProjectIds, allowBrowsers, authenticateFromRequest, async function ingestStore(req, res) {
    const key = res.locals.sentryKey as PublicKeyRecord | undefined;
    if (!key) throw new FaultlineError('FAULTLINE_ERR_AUTH_MISSING', 'A public key is required (sentry_key or X-Sentry-Auth)');
    const { bytes, encoding } = await readBody(req, bodyLimits);
    const job = { kind: 'store', body: bytes, encoding, projectId: key.projectId, receivedAt: Date.now(), clientIp: deps.clientIp(req) } as const;
    const { result } = await deps.runIngest(job, (events) => chargeRateLimit(deps, key, events, sentryRateLimitHeaders), 'sentry');
    res.status(200).json({ id: result.ids[0] ?? null });
  });
  return router;

  /** `/api/v1/...` and the like are not Sentry routes: let them fall through. */
  function onlyProjectIds(req: Request, _res: Response, next: NextFunction) {
    next(PROJECT_ID.test(String(req.params.projectId)) ? undefined : 'route');
  }

  /** A key in the URL or a header is checked before the body is read; an envelope's `dsn` only after. */
  async function authenticateFromRequest(req: Request, res: Response, next: NextFunction) {
    const key = sentryRequestKey(req);
    if (key !== undefined) {
      res.locals.sentryKey = await authenticateIngest(deps, req, key, { projectId: Number(req.params.projectId) });
    }
    next();
  }

  async function authenticateFromDsn(req: Request, dsn: unknown): Promise<PublicKeyRecord> {
    const fromDsn = keyFromDsn(dsn);
    if (!fromDsn) {
      throw new FaultlineError('FAULTLINE_ERR_AUTH_MISSING', 'A public key is required (sentry_key, X-Sentry-Auth, or the envelope header dsn)');
    }
    const projectId = Number(req.params.projectId);
    if (fromDsn.projectId !== undefined && fromDsn.projectId !== projectId) throw new FaultlineError('FAULTLINE_ERR_AUTH_PROJECT_MISMATCH');
    return authenticateIngest(deps, req, fromDsn.publicKey, { projectId });
  }
}
