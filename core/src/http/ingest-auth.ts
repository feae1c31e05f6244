import type { BodyBudget } from '../wire/body-budget.js';
import type { Request } from 'express';
import type { KeyResolver } from '../auth/key-resolver.js';
import type { IngestRunner } from '../ingest/ingest-runner.js';
import type { Metrics } from '../metrics.js';
import type { FaultlineConfig } from '../config.js';
import { FaultlineError } from '../errors.js';
import type { BlockedKeys } from './blocked-keys.js';
import type { RateLimiterProvider } from '../providers/rate-limiter.js';
import type { PublicKeyRecord } from '../providers/storage.js';

const KEY_SHAPE = /^[A-Za-z0-9_]{1,128}$/;

export interface IngestAuthDeps {
  keys: KeyResolver;
  rateLimiter(): RateLimiterProvider;
  blockedKeys: BlockedKeys;
  config: FaultlineConfig;
}

/** What every ingest route (native, Sentry) is built from. */
export interface IngestRouteDeps extends IngestAuthDeps {
  /** Decodes, prepares (in an ingest thread when it can), admits and enqueues a body. */
  runIngest: IngestRunner;
  /** Bounds the body bytes held at once, in all and per key. */
  bodyBudget: BodyBudget;
  clientIp(req: Request): string | undefined;
  metrics: Metrics;
}

/** Checks a public key: shape, existence, project, origin. Runs before the body is read. */
export async function authenticateIngest(
  deps: IngestAuthDeps,
  req: Request,
  key: string | undefined,
  options: { projectId?: number } = {},
): Promise<PublicKeyRecord> {
  if (!key) throw new FaultlineError('FAULTLINE_ERR_AUTH_MISSING', 'A public key is required (Authorization: Bearer <key>)');
  if (!KEY_SHAPE.test(key)) throw new FaultlineError('FAULTLINE_ERR_AUTH_INVALID');
  const record = await deps.keys.publicKey(key);
  if (!record) throw new FaultlineError('FAULTLINE_ERR_AUTH_INVALID');
  if (options.projectId !== undefined && record.projectId !== options.projectId) {
    throw new FaultlineError('FAULTLINE_ERR_AUTH_PROJECT_MISMATCH');
  }
  const origin = req.get('origin');
  if (origin && record.allowedOrigins.length > 0 && !record.allowedOrigins.includes(origin)) {
    throw new FaultlineError('FAULTLINE_ERR_INGEST_ORIGIN', `Origin ${origin} is not allowed for this key`);
  }
  return record;
}

type RateLimitHeaders = (retryAfter: number) => Record<string, string>;

/**
 * Charges `events` against the key's per-minute limit. A request refused whole is not charged; while
 * some of the window is left the key is not blocked, and the 429 says how much is left
 * (`RateLimit-Remaining`, with `RateLimit-Limit`) so a client can split its batch. `rateLimitHeaders`
 * lets a protocol add its own headers to the 429 (Sentry's X-Sentry-Rate-Limits).
 */
export async function chargeRateLimit(deps: IngestAuthDeps, record: PublicKeyRecord, events: number, rateLimitHeaders?: RateLimitHeaders): Promise<void> {
  const perMinute = record.rateLimitPerMinute ?? deps.config.rateLimitPerMinute;
  if (perMinute <= 0 || events <= 0) return;
  const decision = await deps.rateLimiter().consume(`key:${record.id}`, events, perMinute);
  if (decision.allowed) return;
  const remaining = decision.remaining ?? 0;
  if (remaining <= 0) deps.blockedKeys.block(record.id, decision.retryAfter);
  const left = { 'RateLimit-Limit': String(perMinute), 'RateLimit-Remaining': String(remaining) };
  throw rateLimited(decision.retryAfter, (retryAfter) => ({ ...left, ...rateLimitHeaders?.(retryAfter) }));
}

/** The 429 for a key the limiter has already turned away, before anything of the request is parsed. */
export function refuseIfBlocked(deps: IngestAuthDeps, record: PublicKeyRecord, rateLimitHeaders?: RateLimitHeaders): void {
  const retryAfter = deps.blockedKeys.retryAfter(record.id);
  if (retryAfter > 0) throw rateLimited(retryAfter, rateLimitHeaders);
}

/** The 429 of a rate-limited key. */
export function rateLimited(retryAfter: number, rateLimitHeaders?: RateLimitHeaders): FaultlineError {
  return new FaultlineError('FAULTLINE_ERR_INGEST_RATE_LIMITED', undefined, { retryAfter, headers: rateLimitHeaders?.(retryAfter) });
}

/** The key of a native request: `Authorization: Bearer`, `X-Faultline-Key`, or `?faultline_key=` (sendBeacon). */
export function nativeIngestKey(req: Request): string | undefined {
  const auth = req.get('authorization');
  // A malformed header is passed on as it is, to be refused as invalid rather than missing.
  if (auth) return /^Bearer\s+(.*)$/i.exec(auth)?.[1]?.trim() ?? auth;
  const header = req.get('x-faultline-key');
  if (header) return header;
  const query = req.query.faultline_key;
  return typeof query === 'string' ? query : undefined;
}
