import type { BatchOptions } from '../config.js';
import { FaultlineError } from '../errors.js';
import type { BatchProcessor, QueueProvider } from '../providers/queue.js';
import type { GroupedEvent } from '../providers/storage.js';

interface Waiting {
  events: GroupedEvent[];
  /** performance.now() when it was enqueued. */
  since: number;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * The default queue: collects events from concurrent requests for a few milliseconds and hands them to
 * the processor as one batch. Each `enqueue` resolves only after its batch is committed (group commit),
 * so a 202 means stored.
 *
 * A batch starts when `maxSize` events wait or the oldest has waited `maxWaitMs`, never just because a
 * commit ended: starting then let fast commits of tiny batches feed each other (measured with 50 KB
 * events: 2 events a batch, and PostgreSQL's fixed cost per batch tripled its CPU per event).
 */
export class InProcessQueue implements QueueProvider {
  readonly name = 'in-process';
  private processor: BatchProcessor | null = null;
  private waiting: Waiting[] = [];
  private waitingEvents = 0;
  private inFlight = 0;
  private running = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  private idle: Array<() => void> = [];

  constructor(private readonly options: BatchOptions) {}

  consume(processor: BatchProcessor): void {
    this.processor = processor;
  }

  async start(): Promise<void> {
    this.stopping = false;
  }

  enqueue(events: GroupedEvent[]): Promise<void> {
    if (this.stopping) return Promise.reject(new FaultlineError('FAULTLINE_ERR_STOPPING', undefined, { retryAfter: 5 }));
    if (!this.processor) return Promise.reject(new FaultlineError('FAULTLINE_ERR_NOT_STARTED', undefined, { retryAfter: 5 }));
    if (events.length === 0) return Promise.resolve();
    if (this.pending() + events.length > this.options.maxPending) {
      return Promise.reject(new FaultlineError('FAULTLINE_ERR_INGEST_OVERLOADED', undefined, { retryAfter: 1 }));
    }
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ events, since: performance.now(), resolve, reject });
      this.waitingEvents += events.length;
      this.schedule();
    });
  }

  pending(): number {
    return this.waitingEvents + this.inFlight;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.waiting.length > 0 && this.running < this.options.concurrency) this.runBatch();
    if (this.waiting.length === 0 && this.running === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /**
   * Commits the requests as one batch. If it fails, each request is retried alone, so one request the
   * database refuses cannot fail the others that happened to share its batch.
   */
  private async commit(taken: Waiting[]): Promise<void> {
    const batch = taken.length === 1 ? taken[0].events : taken.flatMap((w) => w.events);
    try {
      await this.processor!(batch);
      for (const w of taken) w.resolve();
      return;
    } catch (err) {
      if (taken.length === 1) return taken[0].reject(err);
    }
    for (const w of taken) {
      try {
        await this.processor!(w.events);
        w.resolve();
      } catch (err) {
        w.reject(err);
      }
    }
  }

  private schedule(): void {
    if (this.running >= this.options.concurrency || this.waiting.length === 0) return; // a running batch calls again when done
    const waited = performance.now() - this.waiting[0].since;
    if (this.waitingEvents >= this.options.maxSize || waited >= this.options.maxWaitMs || this.stopping) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.runBatch();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        if (this.running < this.options.concurrency) this.runBatch();
      }, this.options.maxWaitMs - waited);
    }
  }

  private runBatch(): void {
    const taken: Waiting[] = [];
    let size = 0;
    while (this.waiting.length > 0 && (size === 0 || size + this.waiting[0].events.length <= this.options.maxSize)) {
      const next = this.waiting.shift()!;
      taken.push(next);
      size += next.events.length;
    }
    if (taken.length === 0) return;
    this.waitingEvents -= size;
    this.inFlight += size;
    this.running++;
    this.commit(taken).finally(() => {
      this.running--;
      this.inFlight -= size;
      this.schedule();
      if (this.waiting.length === 0 && this.running === 0) this.idle.splice(0).forEach((fn) => fn());
    });
  }
}
