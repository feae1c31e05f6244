/** The callback API of the redis@3 client that bee-queue opens; only what this file uses. */
interface CallbackClient {
  incrby(key: string, n: number, cb: (err: Error | null, value: number) => void): void;
  get(key: string, cb: (err: Error | null, value: string | null) => void): void;
  eval(script: string, keys: number, ...args: Array<string | number | ((err: Error | null, value: unknown) => void)>): void;
}

// Never below zero: a decrement may come after a reconcile already zeroed the count.
const DECREMENT = `local v = redis.call('decrby', KEYS[1], ARGV[1]) if v < 0 then redis.call('set', KEYS[1], 0) end return 0`;
// Atomic with the queue's lists, so a job saved but not yet counted is never zeroed away.
const RECONCILE = `if redis.call('llen', KEYS[2]) + redis.call('llen', KEYS[3]) + redis.call('zcard', KEYS[4]) == 0 then redis.call('set', KEYS[1], 0) end return 0`;

/**
 * Events (not jobs) waiting, running or waiting for a retry in the ingest queue, as one Redis counter
 * shared by every node: core's `maxPending` and `pending()` count events, and a job may hold one event or a
 * thousand. Raised after a job is saved, lowered when it succeeds or is dead-lettered. A process that dies
 * between those steps leaves the count off by its job's events; whenever the queue is empty the count is
 * set back to zero, so an error never outlives a quiet moment.
 */
export class PendingEvents {
  constructor(
    private readonly client: () => CallbackClient,
    /** bee-queue's key prefix of the queue (`<prefix>:ingest:`). */
    private readonly queueKeyPrefix: string,
  ) {}

  /** The counter's key. */
  get key(): string {
    return `${this.queueKeyPrefix}pending-events`;
  }

  add(n: number): Promise<void> {
    return new Promise((resolve, reject) => this.client().incrby(this.key, n, (err) => (err ? reject(err) : resolve())));
  }

  remove(n: number): Promise<void> {
    return new Promise((resolve, reject) => this.client().eval(DECREMENT, 1, this.key, n, (err) => (err ? reject(err) : resolve())));
  }

  read(): Promise<number> {
    return new Promise((resolve, reject) => this.client().get(this.key, (err, value) => (err ? reject(err) : resolve(Math.max(0, Number(value ?? 0))))));
  }

  reconcile(): Promise<void> {
    const k = this.queueKeyPrefix;
    return new Promise((resolve, reject) =>
      this.client().eval(RECONCILE, 4, this.key, `${k}waiting`, `${k}active`, `${k}delayed`, (err) => (err ? reject(err) : resolve())),
    );
  }
}
