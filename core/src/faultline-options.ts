import type { Request } from 'express';
import type { Logger } from 'pino';
import type { AlertOptions } from './alert-config/alert-options.js';
import type { BatchOptions, Grant, IngestLimits } from './config.js';
import type { FaultlinePlugin } from './plugins/plugin-types.js';

/** What `createFaultline` takes. Everything is optional but a storage plugin. */
export interface FaultlineOptions {
  plugins?: FaultlinePlugin[];
  /** Lets a host app decide who may query and administer; return null to fall back to tokens. */
  authorize?: (req: Request) => Grant | null | undefined | Promise<Grant | null | undefined>;
  /** A bootstrap secret with admin rights on every project (or FAULTLINE_ADMIN_TOKEN). */
  adminToken?: string;
  logger?: Logger;
  /** Express's trust-proxy setting, used to find the client IP. */
  trustProxy?: boolean | number | string | string[];
  /**
   * Origins besides Faultline's own whose pages may change state (resolve an issue, create a key) with
   * the host's session cookies; requests with a bearer token are not limited. Default: none.
   */
  trustedOrigins?: string[];
  limits?: Partial<IngestLimits>;
  batch?: Partial<BatchOptions>;
  /** Default events per minute per public key (a key may override it). */
  rateLimitPerMinute?: number;
  /** Run storage migrations at start (default true). */
  migrate?: boolean;
  /** Whether this node processes batches (default true; false for ingest-only nodes). */
  processEvents?: boolean;
  /**
   * Worker threads that parse, validate and group request bodies, so the main thread only moves bytes
   * (or FAULTLINE_INGEST_THREADS). Default: one less than the CPUs, 1 to 4; 0 keeps ingest on the main
   * thread. Plugins that `tap` per-event hooks (`ingest:*`) run ingest on the main thread regardless; plugins that
   * declare them as a module (`ctx.hooks.module`) do not.
   */
  ingestThreads?: number;
  /**
   * How long a notify-hook handler (`issue:*`, `event:stored`) is awaited before it is logged and counted
   * as timed out (or FAULTLINE_NOTIFY_TIMEOUT_MS; default 10 s). Bounds `stop()`.
   */
  notifyTimeoutMs?: number;
  /** Alert rules: the issue link in messages, delivery retries, the summary schedule. */
  alerts?: AlertOptions;
  /**
   * Core's server-side scrubbing of secrets and card numbers, with each project's own rules (default
   * true). Turn it off only when a plugin of your own scrubs instead.
   */
  scrubbing?: boolean;
  /**
   * When the retention run (archive, drop expired days) fires on nodes that process events: a cron
   * expression and time zone (default '17 3 * * *' UTC, once across nodes), or false for never.
   */
  retentionSchedule?: { cron: string; timezone?: string } | false;
  /** Collect Node's default process metrics (default true). */
  defaultMetrics?: boolean;
}
