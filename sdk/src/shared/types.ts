/**
 * The event's shapes are written once, in @faultline/event-types, shared with core (type-only imports:
 * nothing of it reaches a bundle). Here they keep the SDK's names, narrowed to what the SDK always sets;
 * `extends` makes the compiler check every narrowing against the shared shape.
 */
import type { Breadcrumb, ExceptionValue as SharedExceptionValue, IncomingEvent, Level, Mechanism, StackFrame } from '@faultline/event-types';

export type { Breadcrumb, Level, Mechanism, EventRequest as RequestInfo, StackFrame as Frame, EventUser as User } from '@faultline/event-types';

export interface ExceptionValue extends SharedExceptionValue {
  type: string;
  value: string;
  stacktrace?: { frames: StackFrame[] };
}

/** An event as the SDK sends it: an id, a time and a level always set, breadcrumbs as a list. */
export interface FaultlineEvent extends IncomingEvent {
  event_id: string;
  timestamp: string;
  level: Level;
  message?: string;
  exception?: { values: ExceptionValue[] };
  breadcrumbs?: Breadcrumb[];
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
