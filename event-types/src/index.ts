/**
 * The Faultline event, written once: core validates and stores it, the SDK builds and sends it. Field
 * names are Sentry's, so the Sentry mapping is nearly the identity. Types only: importing this package
 * (always with `import type`) adds nothing to a bundle.
 */
export type Level = 'fatal' | 'error' | 'warning' | 'info' | 'debug';

export interface StackFrame {
  filename?: string;
  abs_path?: string;
  function?: string;
  module?: string;
  lineno?: number;
  colno?: number;
  in_app?: boolean;
  context_line?: string;
  pre_context?: string[];
  post_context?: string[];
  [extra: string]: unknown;
}

export interface Mechanism {
  type?: string;
  handled?: boolean;
  [extra: string]: unknown;
}

export interface ExceptionValue {
  type?: string;
  value?: string;
  module?: string;
  mechanism?: Mechanism;
  stacktrace?: { frames?: StackFrame[]; [extra: string]: unknown };
  [extra: string]: unknown;
}

export interface Breadcrumb {
  /** ISO time, or Sentry's float seconds. */
  timestamp?: string | number;
  type?: string;
  category?: string;
  message?: string;
  level?: Level;
  data?: Record<string, unknown>;
  [extra: string]: unknown;
}

export interface EventUser {
  id?: string | number;
  email?: string;
  username?: string;
  /** An address, or `{{auto}}`: the server fills in the client's. */
  ip_address?: string;
  [extra: string]: unknown;
}

export interface EventRequest {
  url?: string;
  method?: string;
  headers?: Record<string, string>;
  /** As sent (`a=1&b=2`), or already split. */
  query_string?: string | Record<string, string>;
  [extra: string]: unknown;
}

/** An event as it arrives (after parsing, before normalization): every field optional. */
export interface IncomingEvent {
  event_id?: string;
  timestamp?: string | number;
  level?: Level;
  platform?: string;
  logger?: string;
  message?: string | { formatted?: string; message?: string; params?: unknown[] };
  exception?: { values?: ExceptionValue[] };
  breadcrumbs?: Breadcrumb[] | { values?: Breadcrumb[] };
  user?: EventUser;
  tags?: Record<string, string>;
  contexts?: Record<string, Record<string, unknown>>;
  release?: string;
  environment?: string;
  server_name?: string;
  transaction?: string;
  request?: EventRequest;
  sdk?: { name?: string; version?: string; [extra: string]: unknown };
  fingerprint?: string[];
  extra?: Record<string, unknown>;
  [unknown: string]: unknown;
}

/** An event after the server normalized it: what storage keeps and the API answers. */
export interface CanonicalEvent extends IncomingEvent {
  event_id: string;
  timestamp: string;
  level: Level;
  platform: string;
  message?: string;
  breadcrumbs?: Breadcrumb[];
  tags: Record<string, string>;
}
