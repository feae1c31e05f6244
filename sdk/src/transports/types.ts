import type { FaultlineEvent } from '../shared/types.js';

/** What the server answered; status 0 is never used (a network error rejects instead). */
export interface SendResult {
  status: number;
  retryAfter?: string | null;
}

/** The platform part of a transport: make this one request. */
export type Sender = (body: string) => Promise<SendResult>;

/** Fire-and-forget send for a page that is going away; true when the browser took it. */
export type Beacon = (body: string) => boolean;

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
  /** The page is going away: hand what is queued to the beacon. */
  hide(): void;
  /** The network is back: forget the backoff and send. */
  online(): void;
  /** Events queued and events dropped (queue overflow, rejected by the server, out of retries). */
  stats(): { queued: number; dropped: number };
}
