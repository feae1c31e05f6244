/**
 * The catalogue of coded errors. Every error Faultline answers or throws on purpose comes from here.
 * A code is never reused for another meaning once retired.
 */
export const ERRORS = {
  // config and start-up
  FAULTLINE_ERR_CONFIG_INVALID: { status: 500, message: 'Invalid configuration' },
  FAULTLINE_ERR_PLUGIN_INVALID: { status: 500, message: 'Invalid plugin' },
  FAULTLINE_ERR_PLUGIN_DUPLICATE: { status: 500, message: 'Plugin registered twice' },
  FAULTLINE_ERR_PLUGIN_MISSING_DEPENDENCY: { status: 500, message: 'Plugin requires another plugin' },
  FAULTLINE_ERR_PLUGIN_CORE_VERSION: { status: 500, message: 'Plugin does not support this core version' },
  FAULTLINE_ERR_PLUGIN_SETUP: { status: 500, message: 'Plugin setup failed' },
  FAULTLINE_ERR_PLUGIN_LOAD: { status: 500, message: 'Plugin could not be loaded' },
  FAULTLINE_ERR_HOOK_UNKNOWN: { status: 500, message: 'Unknown hook' },
  FAULTLINE_ERR_HOOK_MODULE: { status: 500, message: 'Ingest hook module could not be loaded' },
  FAULTLINE_ERR_PROVIDER_MISSING: { status: 500, message: 'No provider registered' },
  FAULTLINE_ERR_PROVIDER_DUPLICATE: { status: 500, message: 'Provider registered twice' },
  FAULTLINE_ERR_NOT_STARTED: { status: 503, message: 'Faultline is not started' },
  FAULTLINE_ERR_STOPPING: { status: 503, message: 'Faultline is shutting down' },

  // ingest
  FAULTLINE_ERR_INGEST_BODY_EMPTY: { status: 400, message: 'Request body is empty' },
  FAULTLINE_ERR_INGEST_BODY_TOO_LARGE: { status: 413, message: 'Request body is too large' },
  FAULTLINE_ERR_INGEST_EVENT_TOO_LARGE: { status: 413, message: 'Event is too large' },
  FAULTLINE_ERR_INGEST_ENCODING: { status: 415, message: 'Unsupported or corrupt content encoding' },
  FAULTLINE_ERR_INGEST_CONTENT_TYPE: { status: 415, message: 'Content type must be application/json' },
  FAULTLINE_ERR_INGEST_JSON: { status: 400, message: 'Body is not valid JSON' },
  FAULTLINE_ERR_INGEST_SCHEMA: { status: 400, message: 'Event does not match the schema' },
  FAULTLINE_ERR_INGEST_TOO_DEEP: { status: 400, message: 'Value is nested too deeply' },
  FAULTLINE_ERR_INGEST_BATCH_TOO_LARGE: { status: 413, message: 'Too many events in one request' },
  FAULTLINE_ERR_INGEST_NOTHING_VALID: { status: 400, message: 'No event in the batch is valid' },
  FAULTLINE_ERR_INGEST_ENVELOPE: { status: 400, message: 'Malformed envelope' },
  FAULTLINE_ERR_INGEST_RATE_LIMITED: { status: 429, message: 'Rate limit exceeded' },
  FAULTLINE_ERR_INGEST_OVERLOADED: { status: 503, message: 'Ingest queue is full; retry later' },
  FAULTLINE_ERR_INGEST_ORIGIN: { status: 403, message: 'Origin is not allowed for this key' },
  FAULTLINE_ERR_INGEST_HOOK_FAILED: { status: 500, message: 'A plugin failed on this event; it was not stored' },

  // stored data
  FAULTLINE_ERR_PAYLOAD_VERSION: { status: 500, message: 'Stored event payload has a version this Faultline cannot read' },
  FAULTLINE_ERR_PAYLOAD_INVALID: { status: 500, message: 'Stored event payload is corrupt' },

  // auth
  FAULTLINE_ERR_AUTH_MISSING: { status: 401, message: 'Authentication required' },
  FAULTLINE_ERR_AUTH_INVALID: { status: 401, message: 'Invalid key or token' },
  FAULTLINE_ERR_AUTH_FORBIDDEN: { status: 403, message: 'Not allowed' },
  FAULTLINE_ERR_AUTH_PROJECT_MISMATCH: { status: 403, message: 'Key does not belong to this project' },
  FAULTLINE_ERR_AUTH_CROSS_SITE: { status: 403, message: 'Cross-site request refused' },

  // query and admin
  FAULTLINE_ERR_NOT_FOUND: { status: 404, message: 'Not found' },
  FAULTLINE_ERR_QUERY_INVALID: { status: 400, message: 'Invalid query' },
  FAULTLINE_ERR_QUERY_CURSOR: { status: 400, message: 'Invalid cursor' },
  FAULTLINE_ERR_REQUEST_INVALID: { status: 400, message: 'Invalid request' },
  FAULTLINE_ERR_CONFLICT: { status: 409, message: 'Already exists' },

  // jobs, archive and alert channels
  FAULTLINE_ERR_QUEUE_BATCH_CORRUPT: { status: 500, message: 'Queued batch bytes are corrupt' },
  FAULTLINE_ERR_JOB_UNKNOWN_TYPE: { status: 500, message: 'No handler is defined for this job type' },
  FAULTLINE_ERR_JOB_DUPLICATE: { status: 500, message: 'Job type or schedule defined twice' },
  FAULTLINE_ERR_JOB_SCHEDULE_INVALID: { status: 500, message: 'Invalid cron expression or time zone' },
  FAULTLINE_ERR_JOB_DEADLINE: { status: 500, message: 'Job passed its deadline' },
  FAULTLINE_ERR_ARCHIVE_CORRUPT: { status: 500, message: 'Archive does not match its checksum' },
  FAULTLINE_ERR_ARCHIVE_UNAVAILABLE: { status: 503, message: 'The archive store could not be reached' },
  FAULTLINE_ERR_EVENT_ARCHIVED: { status: 410, message: 'Event was moved to the archive' },
  FAULTLINE_ERR_EVENT_EXPIRED: { status: 410, message: 'Event was removed by retention' },
  FAULTLINE_ERR_RETENTION_INCOMPLETE: { status: 500, message: 'Some retention steps failed; the next run retries them' },
  FAULTLINE_ERR_ALERT_CHANNEL_UNKNOWN: { status: 400, message: 'Unknown alert channel type' },
  FAULTLINE_ERR_ALERT_CHANNEL_CONFIG: { status: 400, message: 'Invalid alert channel config' },

  // anything else
  FAULTLINE_ERR_INTERNAL: { status: 500, message: 'Internal error' },
  FAULTLINE_ERR_UNAVAILABLE: { status: 503, message: 'A dependency is unavailable' },
  FAULTLINE_ERR_STORAGE_LOCKED: { status: 503, message: 'The database directory is in use by another process' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface FaultlineErrorOptions {
  /** The path of the bad field, as `exception.values[0].stacktrace.frames[3].lineno`. */
  path?: string;
  /** Seconds, for 429 and 503 answers. */
  retryAfter?: number;
  /** Extra response headers (rate-limit details, say). */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class FaultlineError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly path?: string;
  readonly retryAfter?: number;
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, message?: string, options: FaultlineErrorOptions = {}) {
    super(message ?? ERRORS[code].message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FaultlineError';
    this.code = code;
    this.status = ERRORS[code].status;
    if (options.path !== undefined) this.path = options.path;
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
    if (options.headers !== undefined) this.headers = options.headers;
  }

  /** The JSON body every error answer has. */
  toJSON(): { error: { code: ErrorCode; message: string; path?: string } } {
    return { error: { code: this.code, message: this.message, ...(this.path ? { path: this.path } : {}) } };
  }
}

export function isFaultlineError(err: unknown): err is FaultlineError {
  return err instanceof FaultlineError;
}
