import { MAX_AGE_MS, RATE_LIMIT_DEFAULT_MS, RETRY_BASE_MS, backoffDelay, retryAfterMs } from '../shared/backoff.js';
import { normalize } from '../shared/normalize.js';
import type { FaultlineEvent } from '../shared/types.js';
import type { QueueStore, Sender, SendResult, Timers, Transport } from './types.js';

export interface TransportOptions {
  send: Sender;
  /** On `hide`, send what is queued as a beacon (browser pages). */
  beacon?: boolean;
  store?: QueueStore;
  /** Most events held; the oldest are dropped beyond it. */
  maxQueue?: number;
  /** Most events per request. */
  batchSize?: number;
  /** Most bytes per request (the browser's keepalive limit is 64 KB). */
  maxBytes?: number;
  /** How long an event may wait for others to join its batch. */
  batchDelay?: number;
  /** First backoff step in ms; it doubles up to 5 minutes. */
  retryBase?: number;
  /** Events older than this (ms, by their timestamp) are dropped and counted instead of sent. */
  maxAge?: number;
  timers?: Timers;
}

/** Real time; Node's entry makes its timers unref'd, so a pending retry does not keep a process alive. */
export const defaultTimers: Timers = {
  now: Date.now,
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as number),
  random: Math.random,
};

/**
 * The shared transport: a bounded queue, persisted through `store`, sent in batches limited by count,
 * bytes and time. An event leaves the queue only when an answer settles it: accepted (2xx), refused for
 * good (4xx), or dropped and counted (queue overflow, older than `maxAge`). Network errors
 * and 5xx retry with backoff and jitter; 429 and 503 hold back for as long as Retry-After says, and a 429
 * that says how much of the window is left splits the batch to fit. Every body tells the server what was
 * dropped since the last accepted one, as `"discarded": {"<reason>": <count>}` (Sentry's client report
 * reasons). Events carry their event_id, so a resend is stored once.
 */
export function createTransport(o: TransportOptions): Transport {
  const { send, beacon, store, maxQueue = 100, maxBytes = 200_000, batchDelay = 1000, retryBase = RETRY_BASE_MS, maxAge = MAX_AGE_MS } = o;
  const t = o.timers || defaultTimers;
  let queue: FaultlineEvent[] = [];
  let dropped = 0;
  /** Drops not yet reported to the server, by reason (Sentry's client report reasons). */
  let lost: Record<string, number> = {};
  let cap = o.batchSize || 20;
  let attempt = 0;
  let until = 0; // no request before this time (backoff or rate limit)
  let timer: unknown;
  /** The batch of the request in flight; empty when none is. */
  let sending: FaultlineEvent[] = [];
  let flushing = 0;
  let idle: Array<() => void> = [];
  let dirty = false;

  function noop(): void {}

  // every save waits for the load, so a fresh start cannot overwrite what an earlier run left behind
  let saving: Promise<unknown> = Promise.resolve()
    .then(() => store && store.load())
    .then((old) => {
      if (!Array.isArray(old) || !old.length) return;
      const have = queue.map((e) => e.event_id);
      // what an earlier run stored may hold what JSON cannot write (IndexedDB keeps a BigInt)
      queue = old.map((e) => normalize(e) as FaultlineEvent).filter((e) => e && have.indexOf(e.event_id) < 0).concat(queue);
      trim();
      schedule(0);
    })
    .catch(noop);

  function drop(n: number, reason: string): void {
    dropped += n;
    lost[reason] = (lost[reason] || 0) + n;
  }

  function trim(): void {
    const over = queue.length - maxQueue;
    if (over > 0) drop(queue.splice(0, over).length, 'queue_overflow');
  }

  function persist(): void {
    if (!store || dirty) return;
    dirty = true;
    saving = saving
      .then(() => {
        dirty = false;
        return store.save(queue.slice());
      })
      .catch(noop);
  }

  function without(batch: FaultlineEvent[]): FaultlineEvent[] {
    return queue.filter((e) => batch.indexOf(e) < 0);
  }

  /** Sends after `ms`, or when the backoff or rate limit ends if that is later; 0 replaces a later timer. */
  function schedule(ms: number): void {
    if (sending.length || !queue.length || (timer && ms)) return;
    t.clear(timer);
    timer = t.set(run, Math.max(ms, until - t.now()));
  }

  /**
   * The next batch and its JSON body: at least one event, then up to `cap` events and `limit` bytes.
   * Events older than maxAge leave the queue here and are counted.
   */
  function take(limit: number, report: string): [FaultlineEvent[], string] {
    const batch: FaultlineEvent[] = [];
    const parts: string[] = [];
    let bytes = 0;
    // without() replaces the queue, so this loop reads the one it started on
    for (const e of queue) {
      const json = JSON.stringify(e);
      if (t.now() - Date.parse(e.timestamp) > maxAge) {
        queue = without([e]);
        drop(1, 'network_error');
      } else if (batch.length && (batch.length >= cap || bytes + json.length > limit)) break;
      else {
        batch.push(e);
        parts.push(json);
        bytes += json.length + 1;
      }
    }
    return [batch, '{"events":[' + parts + '],"discarded":' + report + '}'];
  }

  function run(): void {
    timer = undefined;
    if (sending.length || !queue.length) return;
    const [batch, body] = take(maxBytes, JSON.stringify(lost));
    if (!batch.length) return persist(), drain();
    sending = batch;
    Promise.resolve()
      .then(() => send(body))
      .then(
        (r) => answered(batch, r),
        () => answered(batch, { status: 0 }),
      )
      .catch(noop)
      .then(() => {
        sending = [];
        if (queue.length) schedule(flushing || queue.length >= cap ? 0 : batchDelay);
        else drain();
      });
  }

  function drain(): void {
    const waiting = idle;
    idle = [];
    for (const f of waiting) f();
  }

  /** What an answer (status 0: a network error) means for the batch; the table is in sdk/README.md. */
  function answered(batch: FaultlineEvent[], r: SendResult): void {
    const status = r.status;
    const now = t.now();
    const wait = retryAfterMs(r.retryAfter, now);
    const left = +r.remaining!;
    if (status > 199 && status < 300) {
      // stored (events it rejected as invalid would be rejected again), and so were the drops it reported
      // (a drop in the short time the request was on its way goes unreported)
      lost = {};
      done(batch);
    } else if (status == 429 || (status == 503 && wait! >= 0)) {
      // a 429 refused whole while a smaller batch fits (the server did not count it): send that much, soon
      if (left > 0 && left < batch.length) cap = left;
      else until = now + (wait ?? RATE_LIMIT_DEFAULT_MS);
    } else if (status == 413 && batch.length > 1) {
      cap = Math.ceil(batch.length / 2);
    } else if (!status || status > 499 || status == 408) {
      // the server or the network is unavailable: keep the batch (bounded by maxQueue and maxAge)
      until = now + backoffDelay(++attempt, t.random(), retryBase);
    } else {
      // other 4xx (and a single event still too large): it cannot succeed later
      drop(batch.length, 'send_error');
      done(batch);
    }
  }

  function done(batch: FaultlineEvent[]): void {
    attempt = 0;
    queue = without(batch);
    persist();
  }

  return {
    add(event) {
      try {
        queue.push(event);
        trim();
        persist();
        schedule(queue.length >= cap ? 0 : batchDelay);
      } catch {
        // never into the host app
      }
    },
    flush(timeout = 2000) {
      flushing++;
      return new Promise<boolean>((resolve) => {
        const h = t.set(() => resolve(false), timeout);
        idle.push(() => {
          t.clear(h);
          resolve(true);
        });
        if (queue.length || sending.length) schedule(0);
        else drain();
      }).then((ok) => {
        flushing--;
        return saving.then(() => ok);
      });
    },
    hide() {
      // persist first: the page may never run again (a synchronous store has written when microtasks end)
      persist();
      // then a beacon, whose answer nobody may be left to read: what it carries stays queued and stored
      // until a regular request confirms it (the server stores an event_id once); and nothing goes out
      // while a rate limit or backoff holds
      if (beacon && queue.length && until <= t.now()) {
        Promise.resolve()
          .then(() => send(take(maxBytes, '{}')[1], true))
          .catch(noop);
      }
    },
    online() {
      attempt = until = 0;
      schedule(0);
    },
    stats() {
      return { queued: queue.length, dropped };
    },
  };
}
