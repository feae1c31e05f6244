import BeeQueue from 'bee-queue';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { FaultlineError, InProcessQueue, type BatchOptions, type BatchProcessor, type GroupedEvent, type QueueProvider } from '@faultline/core';
import { BeeDeadLetters } from './bee-dead-letters.js';
import type { QueueOptions } from './options.js';
import { ingestJobBytes, ingestJobEvents, type IngestJobData } from './ingest-job.js';
import { IngestJobWriter } from './ingest-job-writer.js';
import { PendingEvents } from './pending-events.js';
import { closeRedis, openRedis } from './redis-connection.js';
import { reloadScriptsOnReconnect } from './reload-scripts.js';

export const INGEST_QUEUE_NAME = 'ingest';

export interface RedisQueueOptions {
  url: string;
  /** bee-queue's key prefix: keys are `<prefix>:ingest:*`. */
  prefix: string;
  queue: QueueOptions;
  batch: BatchOptions;
  log: Logger;
}

/** How long stop() waits for a worker's jobs in flight before leaving them to be handed to another worker. */
const CLOSE_TIMEOUT_MS = 10_000;

/**
 * The `queue` on bee-queue. On an ingest node `enqueue` writes a request's events as one job, with the
 * pending-events count, in one round trip (IngestJobWriter), and resolves once Redis holds it, so a 202
 * is as durable as Redis is. On a worker (`consume` was called) jobs are
 * taken `concurrency` at a time and fed to core's in-process group commit, so several jobs make one
 * storage batch and each is acknowledged only after its batch is committed. A worker that dies leaves
 * its jobs active; bee-queue's stall check hands them to another worker (storage is idempotent by
 * event id, so a retried job changes no count). A job that keeps failing lands in bee-queue's failed set,
 * our dead letters.
 *
 * Backpressure: the depth (events waiting, running or delayed: see PendingEvents) is read every
 * `depthIntervalMs`; over `maxDepth`, or while Redis does not answer, `enqueue` rejects with a coded 503 and Retry-After.
 */
export class RedisQueue implements QueueProvider {
  readonly name = 'redis';
  /** For `faultline queue dead-letters list|replay`; a replayed batch counts as pending again. */
  readonly deadLetters = new BeeDeadLetters(
    () => this.bee,
    (data) => this.newJob(data),
    (events) => this.pendingEvents.add(events),
  );
  private processor: BatchProcessor | null = null;
  private bee: BeeQueue<IngestJobData> | null = null;
  private commits: InProcessQueue | null = null;
  private depth = 0;
  private reachable = false;
  private depthTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  private loggedDown = false;
  private readonly pendingEvents: PendingEvents;
  /** The connection `enqueue` writes jobs on (ioredis, which sends the job's bytes as they are). */
  private writerClient: Redis | null = null;
  private writer: IngestJobWriter | null = null;

  constructor(private readonly options: RedisQueueOptions) {
    this.pendingEvents = new PendingEvents(() => (this.bee as unknown as { client: any }).client, `${options.prefix}:${INGEST_QUEUE_NAME}:`);
  }

  consume(processor: BatchProcessor): void {
    this.processor = processor;
  }

  async start(): Promise<void> {
    const { url, prefix, queue, log } = this.options;
    const isWorker = this.processor !== null;
    this.stopping = false;
    const bee = new BeeQueue<IngestJobData>(INGEST_QUEUE_NAME, {
      prefix,
      redis: {
        url,
        // Fail commands at once while Redis is away (ingest answers 503) and reconnect forever.
        enable_offline_queue: false,
        retry_strategy: (o: { attempt: number }) => Math.min(o.attempt * 100, 1000),
      } as BeeQueue.QueueSettings['redis'],
      isWorker,
      getEvents: false,
      sendEvents: false,
      storeJobs: false,
      removeOnSuccess: true,
      removeOnFailure: false,
      activateDelayedJobs: isWorker,
      stallInterval: queue.stallIntervalMs,
      ...({ initialRedisFailureRetryDelay: 250 } as object),
    });
    bee.on('error', (err) => this.redisError(err));
    this.bee = bee;
    await bee.ready();
    this.writerClient = openRedis(url, log, 'ingest', { name: `${prefix}-ingest` });
    this.writer = new IngestJobWriter(this.writerClient, `${prefix}:${INGEST_QUEUE_NAME}:`, this.pendingEvents.key);
    await this.writerClient.connect();
    reloadScriptsOnReconnect(bee, (err) => this.redisError(err));
    this.reachable = true;
    if (isWorker) this.startWorker(bee);
    await this.readDepth();
    this.depthTimer = setInterval(() => void this.readDepth(), queue.depthIntervalMs);
    this.depthTimer.unref();
    log.info({ role: isWorker ? 'worker' : 'ingest', prefix }, 'redis queue started');
  }

  async enqueue(events: GroupedEvent[]): Promise<void> {
    if (this.stopping) throw new FaultlineError('FAULTLINE_ERR_STOPPING', undefined, { retryAfter: 5 });
    if (!this.bee || !this.writer) throw new FaultlineError('FAULTLINE_ERR_NOT_STARTED', undefined, { retryAfter: 5 });
    if (events.length === 0) return;
    if (!this.reachable) throw unavailable();
    if (this.depth >= this.maxDepth()) {
      throw new FaultlineError('FAULTLINE_ERR_INGEST_OVERLOADED', `Ingest queue holds ${this.depth} events (bound ${this.maxDepth()}); retry later`, { retryAfter: 2 });
    }
    const job = ingestJobBytes(events, this.options.queue);
    try {
      await withTimeout(this.writer.add(job, events.length), this.options.queue.enqueueTimeoutMs);
    } catch (err) {
      this.reachable = false; // until the next reading of the depth succeeds
      throw unavailable(err);
    }
    this.depth += events.length; // counted now, so a burst between two readings meets the bound
  }

  /** Events waiting, in flight or waiting to be retried, across every node (as last read). */
  pending(): number {
    return this.depth;
  }

  /** Redis answers a command of this queue's connection (for /readyz). */
  async ping(): Promise<void> {
    if (!this.bee) throw new Error('the Redis queue is not started');
    await withTimeout(this.bee.checkHealth(), this.options.queue.enqueueTimeoutMs).catch((err: Error) => {
      throw new Error(`Redis does not answer (${err.message})`);
    });
  }

  /**
   * Refuses new events; a worker then keeps taking jobs until the queue is empty or `drainOnStopMs` has
   * passed, stops taking them, waits for those in flight (what is left goes to another worker through the
   * stall check) and closes its connections.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.depthTimer) clearInterval(this.depthTimer);
    this.depthTimer = null;
    const bee = this.bee;
    if (bee && this.processor) await this.drain(bee);
    if (bee) {
      await bee.close(CLOSE_TIMEOUT_MS).catch((err: unknown) => this.options.log.warn({ err }, 'redis queue closed with jobs in flight; another worker will retry them'));
    }
    if (this.writerClient) await closeRedis(this.writerClient);
    this.writerClient = null;
    this.writer = null;
    await this.commits?.stop();
  }

  /** Keeps working until no job is waiting, running or delayed, or drainOnStopMs has passed. */
  private async drain(bee: BeeQueue<IngestJobData>): Promise<void> {
    const until = Date.now() + this.options.queue.drainOnStopMs;
    while (Date.now() < until) {
      try {
        const health = await withTimeout(bee.checkHealth(), this.options.queue.enqueueTimeoutMs);
        if (health.waiting + health.active + health.delayed === 0) {
          this.depth = 0;
          return;
        }
      } catch {
        return; // Redis is away: what is queued waits there
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The bee-queue of this node, for the dead-letter tools (null before start). */
  beeQueue(): BeeQueue<IngestJobData> | null {
    return this.bee;
  }

  private startWorker(bee: BeeQueue<IngestJobData>): void {
    const { queue, batch, log } = this.options;
    // Core's group commit, fed by jobs instead of requests: a bound on what waits is bee-queue's concurrency.
    const commits = new InProcessQueue({ ...batch, maxPending: Number.MAX_SAFE_INTEGER });
    commits.consume(this.processor!);
    void commits.start();
    this.commits = commits;
    bee.process(queue.concurrency, function processIngestJob(job) {
      return commits.enqueue(ingestJobEvents(job.data));
    });
    // bee-queue also emits 'failed' for a failure it will retry; 'failed:fatal' is the last one.
    bee.on('failed:fatal' as 'failed', (job, err) => {
      log.error({ err, jobId: job.id }, 'ingest job failed every retry; kept in the dead letters');
      void this.pendingEvents.remove(job.data.events ?? 0).catch((e: Error) => this.redisError(e));
    });
    bee.on('succeeded', (job) => void this.pendingEvents.remove(job.data.events ?? 0).catch((e: Error) => this.redisError(e)));
    bee.on('retrying', (job, err) => log.warn({ err: { message: err.message }, jobId: job.id }, 'ingest job failed; it will be retried'));
    bee.on('stalled', (jobId) => log.warn({ jobId }, 'ingest job stalled (its worker went away); retrying it'));
    void bee.checkStalledJobs(Math.max(100, Math.floor(queue.stallIntervalMs / 2))).catch((err: unknown) => this.redisError(err as Error));
  }

  private newJob(data: IngestJobData): BeeQueue.Job<IngestJobData> {
    if (!this.bee) throw new FaultlineError('FAULTLINE_ERR_NOT_STARTED', undefined, { retryAfter: 5 });
    return this.bee.createJob(data).retries(this.options.queue.retries).backoff('exponential', this.options.queue.retryDelayMs);
  }

  private maxDepth(): number {
    return this.options.queue.maxDepth;
  }

  private async readDepth(): Promise<void> {
    if (!this.bee || this.stopping) return;
    try {
      await withTimeout(this.pendingEvents.reconcile(), this.options.queue.enqueueTimeoutMs);
      this.depth = await withTimeout(this.pendingEvents.read(), this.options.queue.enqueueTimeoutMs);
      if (!this.reachable) this.options.log.info('redis queue reachable again');
      this.reachable = true;
      this.loggedDown = false;
    } catch (err) {
      this.reachable = false;
      this.redisError(err as Error);
    }
  }

  private redisError(err: Error): void {
    if (this.loggedDown) return;
    this.loggedDown = true;
    this.options.log.warn({ err: { message: err.message } }, 'redis queue cannot reach Redis; ingest answers 503 until it is back');
  }
}

function unavailable(cause?: unknown): FaultlineError {
  return new FaultlineError('FAULTLINE_ERR_UNAVAILABLE', 'The ingest queue (Redis) is not answering; retry later', { retryAfter: 5, cause });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer in ${ms} ms`)), ms);
    }),
  ]);
}
