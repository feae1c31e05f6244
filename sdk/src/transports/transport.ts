import { RATE_LIMIT_DEFAULT_MS, backoffDelay, retryAfterMs } from '../shared/backoff.js';
import type { FaultlineEvent } from '../shared/types.js';
import type { Beacon, QueueStore, Sender, Timers, Transport } from './types.js';

export interface TransportOptions {
  send: Sender;
  beacon?: Beacon;
  store?: QueueStore;
  /** Most events held; the oldest are dropped beyond it. */
  maxQueue?: number;
  /** Most events per request. */
  batchSize?: number;
  /** Most bytes per request (the browser's keepalive limit is 64 KB). */
  maxBytes?: number;
  /** How long an event may wait for others to join its batch. */
  batchDelay?: number;
  /** Tries of one batch on 5xx before it is dropped (network errors retry until the queue overflows). */
  maxRetries?: number;
  timers?: Timers;
}

function setTimer(fn: () => void, ms: number): unknown {
  const t = setTimeout(fn, ms) as unknown as { unref?: () => void };
  // in Node a pending retry must not keep the host process alive
  if (typeof t === 'object' && t.unref) t.unref();
  return t;
}

export const defaultTimers: Timers = {
  now: () => Date.now(),
  set: setTimer,
  clear: (h) => clearTimeout(h as number),
  random: () => Math.random(),
};

/**
 * The shared transport: a bounded queue (drops the oldest, counts drops), persisted through `store`,
 * sent in batches limited by count, bytes and time; retries network errors and 5xx with backoff and
 * jitter; holds back on 429/503 for as long as Retry-After says. Events carry their event_id, so a retry
 * that the server already stored is harmless.
 */
export function createTransport(o: TransportOptions): Transport {
  const { send, beacon, store, maxQueue = 100, maxBytes = 200_000, batchDelay = 1000, maxRetries = 8 } = o;
  const t = o.timers || defaultTimers;
  let queue: FaultlineEvent[] = [];
  let dropped = 0;
  let cap = o.batchSize || 20;
  let attempt = 0;
  let until = 0; // no request before this time (backoff or rate limit)
  let timer: unknown;
  let busy = false;
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
      queue = old.filter((e) => e && have.indexOf(e.event_id) < 0).concat(queue);
      trim();
      schedule(0);
    })
    .catch(noop);

  function trim(): void {
    const over = queue.length - maxQueue;
    if (over > 0) dropped += queue.splice(0, over).length;
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
    if (busy || !queue.length || (timer && ms)) return;
    t.clear(timer);
    timer = t.set(run, Math.max(ms, until - t.now()));
  }

  /** The next batch and its JSON body: at least one event, then up to `cap` events and `limit` bytes. */
  function take(limit: number): [FaultlineEvent[], string] {
    const batch: FaultlineEvent[] = [];
    const parts: string[] = [];
    let bytes = 0;
    for (const e of queue) {
      const json = JSON.stringify(e);
      if (batch.length && (batch.length >= cap || bytes + json.length > limit)) break;
      batch.push(e);
      parts.push(json);
      bytes += json.length + 1;
    }
    return [batch, '{"events":[' + parts.join(',') + ']}'];
  }

  function run(): void {
    timer = undefined;
    if (busy || !queue.length) return;
    busy = true;
    const [batch, body] = take(maxBytes);
    Promise.resolve()
      .then(() => send(body))
      .then(
        (r) => answered(batch, r.status, r.retryAfter),
        () => answered(batch, 0),
      )
      .catch(noop)
      .then(() => {
        busy = false;
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
  function answered(batch: FaultlineEvent[], status: number, retryAfter?: string | null): void {
    const now = t.now();
    const wait = retryAfterMs(retryAfter, now);
    if (status === 429 || (status === 503 && wait !== undefined)) {
      until = now + (wait ?? RATE_LIMIT_DEFAULT_MS);
    } else if (status === 413 && batch.length > 1) {
      cap = Math.ceil(batch.length / 2);
    } else if (!status || status >= 500 || status === 408) {
      // network errors retry until the queue overflows (offline); server errors give up after maxRetries
      attempt++;
      if (status && attempt > maxRetries) done(batch, true);
      else until = now + backoffDelay(attempt, t.random());
    } else {
      // 2xx: stored (events it rejected as invalid would be rejected again); other 4xx cannot succeed later
      done(batch, status >= 300);
    }
  }

  function done(batch: FaultlineEvent[], lost: boolean): void {
    if (lost) dropped += batch.length;
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
        if (queue.length || busy) schedule(0);
        else drain();
      }).then((ok) => {
        flushing--;
        return saving.then(() => ok);
      });
    },
    hide() {
      if (!beacon || !queue.length) return;
      try {
        const [batch, body] = take(60_000);
        // not persisted: if the page really goes away, the next load resends them and the server dedupes
        if (beacon(body)) queue = without(batch);
      } catch {
        // the page keeps them
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
