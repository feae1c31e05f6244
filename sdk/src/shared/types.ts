/** Wire shapes of the canonical Faultline event (Sentry's field names), as far as the SDK builds them. */
export type Level = 'fatal' | 'error' | 'warning' | 'info' | 'debug';

export interface Frame {
  filename?: string;
  abs_path?: string;
  function?: string;
  module?: string;
  lineno?: number;
  colno?: number;
  in_app?: boolean;
}

export interface Mechanism {
  type: string;
  handled: boolean;
  [extra: string]: unknown;
}

export interface ExceptionValue {
  type: string;
  value: string;
  mechanism?: Mechanism;
  stacktrace?: { frames: Frame[] };
}

export interface Breadcrumb {
  timestamp?: string;
  type?: string;
  category?: string;
  message?: string;
  level?: Level;
  data?: Record<string, unknown>;
}

export interface User {
  id?: string | number;
  email?: string;
  username?: string;
  ip_address?: string;
  [extra: string]: unknown;
}

export interface RequestInfo {
  url?: string;
  method?: string;
  headers?: Record<string, string>;
  query_string?: string;
  [extra: string]: unknown;
}

export interface FaultlineEvent {
  event_id: string;
  timestamp: string;
  level: Level;
  platform?: string;
  message?: string;
  exception?: { values: ExceptionValue[] };
  breadcrumbs?: Breadcrumb[];
  user?: User;
  tags?: Record<string, string>;
  contexts?: Record<string, Record<string, unknown>>;
  extra?: Record<string, unknown>;
  release?: string;
  environment?: string;
  server_name?: string;
  transaction?: string;
  request?: RequestInfo;
  sdk?: { name: string; version: string };
  fingerprint?: string[];
  [extra: string]: unknown;
}

/** What the SDK knows about an event beyond its payload; handed to `beforeSend`. */
export interface EventHint {
  originalException?: unknown;
  mechanism?: Mechanism;
}

export interface Options {
  /** `http(s)://<public key>@<host>/<mount path>/<project id>`; or give `endpoint` and `key`. */
  dsn?: string;
  /** Base URL of the Faultline mount, e.g. `https://errors.example.com/faultline`. */
  endpoint?: string;
  key?: string;
  release?: string;
  environment?: string;
  /** 0..1, the share of events that are sent. Default 1. */
  sampleRate?: number;
  /** Edit an event or drop it by returning null. */
  beforeSend?: (event: FaultlineEvent, hint: EventHint) => FaultlineEvent | null | PromiseLike<FaultlineEvent | null>;
  beforeBreadcrumb?: (crumb: Breadcrumb) => Breadcrumb | null;
  /** Default 100. */
  maxBreadcrumbs?: number;
  /** Send IP address (server-inferred) and cookies. Default false. */
  sendDefaultPii?: boolean;
  /** Set false to make every call a no-op. */
  enabled?: boolean;
  /** Log SDK internals (only in builds that keep debug code). */
  debug?: boolean;
  /** Most events held for sending; the oldest are dropped beyond it. Default 100. */
  maxQueue?: number;
  /** Most events in one request. Default 20. */
  batchSize?: number;
  /** How long an event may wait to join a batch, in ms. Default 1000. */
  batchDelay?: number;
  /** Unsent events older than this (ms) are dropped and counted. Default 24 hours. */
  maxAge?: number;
  /** First retry delay after a network error or 5xx, in ms; it doubles up to 5 minutes. Default 1000. */
  retryBase?: number;
  /** Turn automatic capture off (error handlers and breadcrumbs), all or by name. */
  autoCapture?: boolean | Record<string, boolean>;
}
