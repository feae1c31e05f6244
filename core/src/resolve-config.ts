import { availableParallelism } from 'node:os';
import { DEFAULT_BATCH, DEFAULT_LIMITS, DEFAULT_NOTIFY_TIMEOUT_MS, type FaultlineConfig } from './config.js';
import type { FaultlineOptions } from './faultline-options.js';
import { FaultlineError } from './errors.js';

/** Options and environment into a checked config; a bad value fails start-up naming the setting. */
export function resolveConfig(options: FaultlineOptions, env: NodeJS.ProcessEnv = process.env): FaultlineConfig {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  for (const [name, value] of Object.entries(limits)) positiveInteger(`limits.${name}`, value);
  const batch = { ...DEFAULT_BATCH, ...options.batch };
  for (const [name, value] of Object.entries(batch)) positiveInteger(`batch.${name}`, value);
  const rateLimitPerMinute = options.rateLimitPerMinute ?? envInteger(env, 'FAULTLINE_RATE_LIMIT_PER_MINUTE') ?? 600_000;
  if (!Number.isInteger(rateLimitPerMinute) || rateLimitPerMinute < 0) {
    throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', 'rateLimitPerMinute must be a whole number ≥ 0 (0 turns it off)');
  }
  const adminToken = options.adminToken ?? env.FAULTLINE_ADMIN_TOKEN ?? null;
  if (adminToken !== null && adminToken.length < 16) {
    throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', 'adminToken (FAULTLINE_ADMIN_TOKEN) must be at least 16 characters');
  }
  const ingestThreads = options.ingestThreads ?? envInteger(env, 'FAULTLINE_INGEST_THREADS') ?? defaultIngestThreads();
  if (!Number.isInteger(ingestThreads) || ingestThreads < 0 || ingestThreads > 64) {
    throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', 'ingestThreads (FAULTLINE_INGEST_THREADS) must be a whole number from 0 to 64');
  }
  const notifyTimeoutMs = options.notifyTimeoutMs ?? envInteger(env, 'FAULTLINE_NOTIFY_TIMEOUT_MS') ?? DEFAULT_NOTIFY_TIMEOUT_MS;
  positiveInteger('notifyTimeoutMs (FAULTLINE_NOTIFY_TIMEOUT_MS)', notifyTimeoutMs);
  const trustedOrigins = (options.trustedOrigins ?? []).map((o, i) => origin(`trustedOrigins[${i}]`, o));
  return {
    adminToken,
    trustProxy: options.trustProxy ?? null,
    trustedOrigins,
    limits,
    batch,
    rateLimitPerMinute,
    migrate: options.migrate ?? true,
    processEvents: options.processEvents ?? true,
    ingestThreads,
    notifyTimeoutMs,
    scrubbing: options.scrubbing ?? true,
  };
}

/** Leaves a CPU to the main thread (HTTP, storage); more than 4 rarely pays, as storage becomes the limit. */
function defaultIngestThreads(): number {
  return Math.min(4, Math.max(1, availableParallelism() - 1));
}

function positiveInteger(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', `${name} must be a positive whole number, not ${JSON.stringify(value)}`);
  }
}

function envInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', `${name} must be a whole number, not "${raw}"`);
  return n;
}

function origin(name: string, value: unknown): string {
  try {
    const url = new URL(String(value));
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value) return url.origin;
  } catch {
    // reported below
  }
  throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', `${name} must be an origin such as https://admin.example.com, not ${JSON.stringify(value)}`, {
    path: name,
  });
}
