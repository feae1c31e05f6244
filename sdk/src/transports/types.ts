import type { FaultlineEvent } from '../shared/types.js';

/** What the server answered; a network error rejects instead (the transport reads it as status 0). */
export interface SendResult {
  status: number;
  retryAfter?: string | null;
  /** `RateLimit-Remaining` of a 429: events that fit in the window now. */
  remaining?: string | null;
}

/** The platform part of a transport: make this one request; a `beacon` must outlive the page. */
export type Sender = (body: string, beacon?: boolean) => Promise<SendResult>;

/** Where queued events survive a reload or a restart. */
export interface QueueStore {
  load(): Promise<FaultlineEvent[]> | FaultlineEvent[];
  save(events: FaultlineEvent[]): Promise<unknown> | unknown;
}

/** Time and randomness, injectable so tests never wait. */
export interface Timers {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  random(): number;
}

export interface Transport {
  /** Queue an event; never throws, never waits. */
  add(event: FaultlineEvent): void;
  /** Send everything queued now; true when the queue emptied within `timeout` ms. */
  flush(timeout?: number): Promise<boolean>;
  /** The page or process is going away: persist what is queued, then send a beacon if allowed. */
  hide(): void;
  /** The network is back: forget the backoff and send. */
  online(): void;
  /** Events queued and events dropped (queue overflow, too old, refused by the server). */
  stats(): { queued: number; dropped: number };
}
