import type { Role } from './roles.js';

/** What an `authorize(req)` hook or a secret token grants. */
export interface Grant {
  role: Role;
  /** Project ids the caller may touch; null means every project. */
  projectIds: number[] | null;
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
  limits: IngestLimits;
  batch: BatchOptions;
  rateLimitPerMinute: number;
  migrate: boolean;
  processEvents: boolean;
  /** Worker threads that parse, validate and group request bodies; 0 does it on the main thread. */
  ingestThreads: number;
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
};

export const DEFAULT_BATCH: BatchOptions = { maxSize: 1000, maxWaitMs: 10, maxPending: 50_000, concurrency: 2 };
