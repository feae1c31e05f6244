import { randomUUID } from 'node:crypto';
import BeeQueue from 'bee-queue';
import { Cron } from 'croner';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  FaultlineError,
  type DeadLetter,
  type DeadLetterReason,
  type EnqueuedJob,
  type JobBackoff,
  type JobContext,
  type JobHandler,
  type JobOptions,
  type JobsProvider,
  type JobType,
  type ScheduleOptions,
} from '@faultline/core';
import { reloadScriptsOnReconnect } from './reload-scripts.js';

/** A job as bee-queue keeps it (JSON). */
interface JobData {
  type: string;
  payload: unknown;
  enqueuedAt: number;
  deadline: number;
  deadlineMs: number;
  maxAttempts: number;
  backoff: JobBackoff;
}

/** What the handler wrapper records on a failed attempt; bee-queue saves job.options with the job. */
interface FailureRecord {
  reason: DeadLetterReason;
  attempts: number;
  error: string | null;
  failedAt: number;
}

const DEFAULTS = { attempts: 5, backoff: { initialMs: 1000, factor: 2, maxMs: 3_600_000 }, deadlineMs: 86_400_000 };
const BACKOFF_STRATEGY = 'faultline';
/** A schedule's claim on a slot outlives any clock skew between nodes. */
const CLAIM_TTL_MS = 7 * 24 * 3_600_000;

export interface RedisJobsOptions {
  url: string;
  /** bee-queue's key prefix: keys are `<prefix>:jobs:*`. */
  prefix: string;
  /** Claims for schedule slots: `<claimPrefix>:<name>:<slot>`. */
  claimPrefix: string;
  /** The command connection, for schedule claims. */
  commands: Redis;
  /** Runs handlers on this node (false on ingest-only nodes, which only enqueue). */
  runsJobs: boolean;
  concurrency: number;
  log: Logger;
}

/**
 * The `jobs` provider on bee-queue (a queue of its own, apart from ingest): durable across restarts,
 * retried with the job's backoff, given up at its deadline or after its attempts into bee-queue's failed
 * set (the dead letters). A job's id is bee-queue's job id, so enqueueing an id that is waiting, running or
 * dead-lettered adds nothing. Schedules fire once per slot across nodes: each node computes the slots and
 * the first to SET the slot's claim key (NX) enqueues it.
 */
export class RedisJobs implements JobsProvider {
  readonly name = 'redis';
  private readonly handlers = new Map<string, { handler: JobHandler<unknown>; defaults: Omit<JobOptions, 'id'> }>();
  private readonly schedules = new Map<string, { cron: Cron; type: JobType<unknown>; payload: unknown; options: ScheduleOptions }>();
  private readonly running = new Set<AbortController>();
  private bee: BeeQueue<JobData> | null = null;
  private stopped = false;

  constructor(private readonly options: RedisJobsOptions) {}

  define<P>(type: JobType<P>, handler: JobHandler<P>, defaults: Omit<JobOptions, 'id'> = {}): void {
    if (this.handlers.has(type.name)) throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', `Job type ${type.name} is defined twice`);
    this.handlers.set(type.name, { handler: handler as JobHandler<unknown>, defaults });
  }

  async enqueue<P>(type: JobType<P>, payload: P, options: JobOptions = {}): Promise<EnqueuedJob> {
    const merged = { ...this.handlers.get(type.name)?.defaults, ...options };
    const now = Date.now();
    const deadlineMs = merged.deadlineMs ?? DEFAULTS.deadlineMs;
    const data: JobData = {
      type: type.name,
      payload: JSON.parse(JSON.stringify(payload ?? null)),
      enqueuedAt: now,
      deadline: now + deadlineMs,
      deadlineMs,
      maxAttempts: Math.max(1, merged.attempts ?? DEFAULTS.attempts),
      backoff: { ...DEFAULTS.backoff, ...merged.backoff },
    };
    const id = options.id ?? randomUUID();
    const saved = await this.save(data, id, merged.delayMs ?? 0);
    return { id, created: saved };
  }

  schedule<P>(name: string, options: ScheduleOptions, type: JobType<P>, payload: P): void {
    if (this.schedules.has(name)) throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', `Schedule ${name} is registered twice`);
    let cron: Cron;
    try {
      cron = new Cron(options.cron, { timezone: options.timezone ?? 'UTC', paused: true });
      cron.nextRun();
    } catch (err) {
      throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', `Schedule "${name}": ${(err as Error).message}`, { cause: err });
    }
    cron.stop();
    this.schedules.set(name, { cron, type: type as JobType<unknown>, payload, options });
    if (this.bee && !this.stopped) this.startSchedule(name);
  }

  async listDeadLetters(filter: { type?: string; limit?: number } = {}): Promise<DeadLetter[]> {
    const jobs = await this.queue().getJobs('failed', { size: 1_000_000 });
    return jobs
      .map(deadLetter)
      .filter((l) => !filter.type || l.type === filter.type)
      .sort((a, b) => a.failedAt.localeCompare(b.failedAt))
      .slice(0, filter.limit ?? Infinity);
  }

  async replayDeadLetter(id: string): Promise<boolean> {
    const queue = this.queue();
    const job = await queue.getJob(id);
    if (!job || job.status !== 'failed') return false;
    const now = Date.now();
    // Removed first so the id is free again; the job is lost only if this process dies between the two.
    await queue.removeJob(id);
    await this.save({ ...job.data, enqueuedAt: now, deadline: now + job.data.deadlineMs }, id, 0);
    return true;
  }

  async start(): Promise<void> {
    if (this.bee) return;
    const { url, prefix, runsJobs, concurrency } = this.options;
    const bee = new BeeQueue<JobData>('jobs', {
      prefix,
      redis: { url, enable_offline_queue: false, retry_strategy: (o: { attempt: number }) => Math.min(o.attempt * 100, 1000) } as BeeQueue.QueueSettings['redis'],
      isWorker: runsJobs,
      getEvents: false,
      sendEvents: false,
      storeJobs: false,
      removeOnSuccess: true,
      removeOnFailure: false,
      activateDelayedJobs: runsJobs,
      ...({ initialRedisFailureRetryDelay: 250 } as object),
    });
    bee.on('error', (err) => this.options.log.warn({ err: { message: err.message } }, 'jobs queue: redis error'));
    bee.backoffStrategies.set(BACKOFF_STRATEGY, (job) => retryDelay(job as BeeQueue.Job<JobData>));
    this.bee = bee;
    await bee.ready();
    reloadScriptsOnReconnect(bee, (err) => this.options.log.warn({ err: { message: err.message } }, 'jobs queue: could not reload scripts'));
    if (runsJobs) {
      bee.process(concurrency, (job) => this.run(job));
      void bee.checkStalledJobs(2500).catch(() => undefined);
      for (const name of this.schedules.keys()) this.startSchedule(name);
    }
  }

  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const s of this.schedules.values()) s.cron.stop();
    const bee = this.bee;
    if (!bee) return;
    const closing = bee.close(Math.max(1, options.timeoutMs ?? 10_000)).catch(() => undefined);
    // Past the timeout, running handlers are told to give up; bee-queue hands their jobs on as stalled.
    const timer = setTimeout(() => this.running.forEach((c) => c.abort()), options.timeoutMs ?? 10_000);
    await closing;
    clearTimeout(timer);
    this.running.forEach((c) => c.abort());
  }

  private async save(data: JobData, id: string, delayMs: number): Promise<boolean> {
    const job = this.queue()
      .createJob(data)
      .setId(id)
      .retries(data.maxAttempts - 1)
      .backoff(BACKOFF_STRATEGY, data.backoff.initialMs);
    if (delayMs > 0) job.delayUntil(Date.now() + delayMs);
    const saved = await job.save();
    return saved.id !== null;
  }

  /** One attempt: the handler under an abort signal that fires at the deadline; failures are recorded on the job. */
  private async run(job: BeeQueue.Job<JobData>): Promise<void> {
    const data = job.data;
    const attempt = data.maxAttempts - (job.options.retries as number);
    const fail = (reason: DeadLetterReason, error: string | null) => {
      const record: FailureRecord = { reason, attempts: attempt, error, failedAt: Date.now() };
      job.options.faultline = record;
      if (reason === 'deadline') job.options.retries = 0; // no attempt after the deadline
    };
    const entry = this.handlers.get(data.type);
    if (!entry) {
      fail('attempts', `No handler for job type ${data.type} on this node`);
      throw new Error(`No handler for job type ${data.type}`);
    }
    const remaining = data.deadline - Date.now();
    if (remaining <= 0) {
      fail('deadline', job.options.faultline?.error ?? null);
      throw new Error('deadline passed');
    }
    const controller = new AbortController();
    this.running.add(controller);
    const timer = setTimeout(() => controller.abort(new Error('deadline passed')), remaining);
    const aborted = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason ?? new Error('stopped'))));
    aborted.catch(() => undefined);
    const ctx: JobContext = { id: job.id, type: data.type, attempt, maxAttempts: data.maxAttempts, deadline: new Date(data.deadline), signal: controller.signal };
    try {
      await Promise.race([entry.handler(JSON.parse(JSON.stringify(data.payload)), ctx), aborted]);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const pastDeadline = Date.now() >= data.deadline || (job.options.retries > 0 && retryDelay(job) < 0);
      fail(pastDeadline ? 'deadline' : 'attempts', message);
      throw err;
    } finally {
      clearTimeout(timer);
      this.running.delete(controller);
    }
  }

  private startSchedule(name: string): void {
    const s = this.schedules.get(name)!;
    const fire = async (slot: Date) => {
      const key = `${this.options.claimPrefix}:${name}:${slot.toISOString()}`;
      try {
        const claimed = await this.options.commands.set(key, '1', 'PX', CLAIM_TTL_MS, 'NX');
        if (claimed !== 'OK') return;
        await this.enqueue(s.type, s.payload, { ...s.options.job, id: `schedule:${name}:${slot.toISOString()}` });
      } catch (err) {
        this.options.log.error({ err, schedule: name }, 'schedule could not fire');
      }
    };
    s.cron = new Cron(s.options.cron, { timezone: s.options.timezone ?? 'UTC' }, (self: Cron) => {
      const slot = self.currentRun();
      if (slot) void fire(slot);
    });
  }

  private queue(): BeeQueue<JobData> {
    if (!this.bee) throw new FaultlineError('FAULTLINE_ERR_NOT_STARTED');
    return this.bee;
  }
}

/** The wait before the next attempt after the one that just failed (bee-queue asks before it counts it). */
function retryDelay(job: BeeQueue.Job<JobData>): number {
  const { backoff, maxAttempts } = job.data;
  const failed = maxAttempts - (job.options.retries as number);
  const delay = Math.min(backoff.maxMs ?? DEFAULTS.backoff.maxMs, backoff.initialMs * (backoff.factor ?? 2) ** Math.max(0, failed - 1));
  // A retry that would start past the deadline is not made: the job is dead-lettered now.
  return Date.now() + delay >= job.data.deadline ? -1 : delay;
}

function deadLetter(job: BeeQueue.Job<JobData>): DeadLetter {
  const record = job.options.faultline as FailureRecord | undefined;
  return {
    id: job.id,
    type: job.data.type,
    payload: job.data.payload,
    attempts: record?.attempts ?? job.data.maxAttempts,
    reason: record?.reason ?? 'attempts',
    error: record?.error ?? null,
    enqueuedAt: new Date(job.data.enqueuedAt).toISOString(),
    failedAt: new Date(record?.failedAt ?? job.data.enqueuedAt).toISOString(),
  };
}
