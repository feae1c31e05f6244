import cors from 'cors';
import { inflateSync } from 'node:zlib';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { FaultlineError } from '../errors.js';
import { authenticateIngest, chargeRateLimit, type IngestRouteDeps } from '../http/ingest-auth.js';
import { parseJsonText } from '../http/read-body.js';
import type { PublicKeyRecord } from '../providers/storage.js';
import { sortEnvelopeItems } from './envelope-items.js';
import { mapSentryEvent } from './map-sentry-event.js';
import { parseEnvelope } from './parse-envelope.js';
import { sentryRateLimitHeaders } from './rate-limit-headers.js';
import { readSentryBody, type SentryBodyLimits } from './read-sentry-body.js';
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
  const bodyLimits: SentryBodyLimits = { maxCompressedBytes: SENTRY_MAX_COMPRESSED_BYTES, maxBytes: limits.maxBodyBytes };
  const allowBrowsers = cors({
    origin: true,
    methods: ['POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'content-encoding', 'x-sentry-auth', 'authorization', 'sentry-trace', 'baggage'],
    exposedHeaders: ['x-sentry-rate-limits', 'retry-after', 'x-sentry-error'],
    maxAge: 86400,
  });

  for (const kind of ['envelope', 'store'] as const) router.options(`/api/:projectId/${kind}`, onlyProjectIds, allowBrowsers);
  router.post('/api/:projectId/envelope', onlyProjectIds, allowBrowsers, authenticateFromRequest, async function ingestEnvelope(req, res) {
    const body = await readSentryBody(req, bodyLimits);
    const envelope = parseEnvelope(body, { maxItems: limits.maxEventsPerRequest });
    const key = (res.locals.sentryKey as PublicKeyRecord | undefined) ?? (await authenticateFromDsn(req, envelope.header.dsn));
    const { events, eventIndexes } = sortEnvelopeItems(envelope, limits.maxEventBytes, deps.metrics);
    const headerId = eventIdOf(envelope.header.event_id);
    if (events.length === 0) {
      res.status(200).json({ id: headerId });
      return;
    }
    await chargeRateLimit(deps, key, events.length, sentryRateLimitHeaders);
    const result = await deps.accept({
      projectId: key.projectId,
      events,
      clientIp: deps.clientIp(req),
      pathOf: (i) => `items[${eventIndexes[i]}]`,
      route: 'sentry',
    });
    res.status(200).json({ id: result.ids[0] ?? headerId });
  });
  router.post('/api/:projectId/store', onlyProjectIds, allowBrowsers, authenticateFromRequest, async function ingestStore(req, res) {
    const key = res.locals.sentryKey as PublicKeyRecord | undefined;
    if (!key) throw new FaultlineError('FAULTLINE_ERR_AUTH_MISSING', 'A public key is required (sentry_key or X-Sentry-Auth)');
    const event = mapSentryEvent(parseStoreBody(await readSentryBody(req, bodyLimits), limits.maxEventBytes));
    await chargeRateLimit(deps, key, 1, sentryRateLimitHeaders);
    const result = await deps.accept({ projectId: key.projectId, events: [event], clientIp: deps.clientIp(req), route: 'sentry' });
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

/** The envelope header's event id, if it is one (32 hex digits, dashes allowed); never echoes other input. */
function eventIdOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const id = value.replace(/-/g, '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(id) ? id : null;
}

/**
 * A store body is one event as JSON; very old clients send it zlib-compressed and base64-encoded.
 * It is checked against the per-event limit after decompression.
 */
function parseStoreBody(body: Buffer, maxEventBytes: number): unknown {
  if (body.length === 0) throw new FaultlineError('FAULTLINE_ERR_INGEST_BODY_EMPTY');
  let json = body;
  const first = body.find((c) => c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09);
  if (first !== undefined && first !== 0x7b /* { */) json = legacyEncoded(body, maxEventBytes);
  if (json.length > maxEventBytes) throw new FaultlineError('FAULTLINE_ERR_INGEST_EVENT_TOO_LARGE', `Event is larger than ${maxEventBytes} bytes`);
  return parseJsonText(json.toString('utf8'));
}

function legacyEncoded(body: Buffer, maxEventBytes: number): Buffer {
  const text = body.toString('latin1').trim();
  if (!/^[A-Za-z0-9+/=_-]+$/.test(text)) return body; // not base64: let JSON.parse say what is wrong
  try {
    return inflateSync(Buffer.from(text, 'base64'), { maxOutputLength: maxEventBytes + 1 });
  } catch {
    throw new FaultlineError('FAULTLINE_ERR_INGEST_JSON', 'Body is neither JSON nor base64-encoded zlib JSON');
  }
}
