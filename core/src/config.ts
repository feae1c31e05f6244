import type { Role } from './roles.js';

/** What an `authorize(req)` hook or a secret token grants. */
export interface Grant {
  role: Role;
  /** Project ids the caller may touch; null means every project. */
  projectIds: number[] | null;
  /** Who the caller is, for the audit log (a host's authorize() may name its user). */
  actor?: string;
}

export interface IngestLimits {
  /** Bytes of a request body after decompression. */
  maxBodyBytes: number;
  /** Bytes of one event, serialized. */
  maxEventBytes: number;
  maxEventsPerRequest: number;
  maxStringLength: number;
  maxFrames: number;
  maxExceptionValues: number;
  maxBreadcrumbs: number;
  /** Depth of free-form objects (extra, contexts, breadcrumb data, tags). */
  maxDepth: number;
  /** Keys of one free-form object. */
  maxObjectKeys: number;
  /** Request-body bytes this process holds at once; past it ingest answers 503 (wire/body-budget.ts). */
  maxBodyBytesInFlight: number;
  /** The same, for one public key. */
  maxKeyBodyBytesInFlight: number;
}

export interface BatchOptions {
  /** Events per processed batch, at most. */
  maxSize: number;
  /**
   * How long the in-process queue waits to fill a batch. 10 ms rather than 5: with one event per
   * request (Sentry SDKs), batches grew from ~6 to ~11 events and PostgreSQL's CPU per event fell by a
   * third (bench:sentry); a lone event waits 10 ms more, invisible next to an error's own story.
   */
  maxWaitMs: number;
  /** Events waiting before ingest answers 503. */
  maxPending: number;
  /** Batches committed at once by this node. */
  concurrency: number;
}

/** Options with every default filled in; what plugins see as `ctx.config`. */
export interface FaultlineConfig {
  adminToken: string | null;
  /** null: use the host app's own `trust proxy` setting (req.ip). */
  trustProxy: boolean | number | string | string[] | null;
  /** Other origins (scheme://host[:port]) whose pages may change state with the host's session. */
  trustedOrigins: string[];
  limits: IngestLimits;
  batch: BatchOptions;
  rateLimitPerMinute: number;
  migrate: boolean;
  processEvents: boolean;
  /** Worker threads that parse, validate and group request bodies; 0 does it on the main thread. */
  ingestThreads: number;
  /** How long a notify-hook handler is awaited (stop() waits at most this long for one). */
  notifyTimeoutMs: number;
  /** Core's server-side scrubbing (scrub/): on unless turned off. */
  scrubbing: boolean;
}

export const DEFAULT_LIMITS: IngestLimits = {
  maxBodyBytes: 20 * 1024 * 1024,
  maxEventBytes: 1024 * 1024,
  maxEventsPerRequest: 1000,
  maxStringLength: 16 * 1024,
  maxFrames: 250,
  maxExceptionValues: 25,
  maxBreadcrumbs: 200,
  maxDepth: 16,
  maxObjectKeys: 500,
  maxBodyBytesInFlight: 64 * 1024 * 1024,
  maxKeyBodyBytesInFlight: 40 * 1024 * 1024,
};

/** Long enough for a webhook or an SMTP hand-off; deliveries that may take longer belong in jobs. */
export const DEFAULT_NOTIFY_TIMEOUT_MS = 10_000;

export const DEFAULT_BATCH: BatchOptions = { maxSize: 1000, maxWaitMs: 10, maxPending: 50_000, concurrency: 2 };
