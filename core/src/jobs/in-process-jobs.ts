import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { FaultlineError } from '../errors.js';
import type { Metrics } from '../metrics.js';
import type {
  DeadLetter,
  DeadLetterReason,
  EnqueuedJob,
  JobBackoff,
  JobContext,
  JobHandler,
  JobOptions,
  JobsProvider,
  JobType,
  ScheduleClaim,
  ScheduleOptions,
} from '../providers/jobs.js';
import { backoffDelay, DEFAULT_JOB_OPTIONS } from './backoff.js';
import { CronSlots } from './cron-slots.js';

export interface InProcessJobsOptions {
  /**
   * Claims a schedule's slot across nodes (`storage.claimScheduledRun`, which core passes). Without one,
   * slots are claimed in this process only: right for one node, wrong for several.
   */
  claim?: ScheduleClaim;
  /** Handlers running at once. Default 4. */
  concurrency?: number;
  log?: Logger;
  metrics?: Pick<Metrics, 'jobAttempts' | 'jobsDeadLettered'>;
}

interface QueuedJob {
  id: string;
  type: string;
  /** Kept as JSON: each attempt gets a fresh copy, as a cross-process provider would hand it. */
  payloadJson: string;
  attempts: number;
  maxAttempts: number;
  backoff: JobBackoff;
  deadlineMs: number;
  enqueuedAt: number;
  deadline: number;
  runAt: number;
  running: boolean;
  lastError: string | null;
}

interface Schedule {
  name: string;
  slots: CronSlots;
  type: JobType<unknown>;
  payload: unknown;
  job: ScheduleOptions['job'];
  timer: NodeJS.Timeout | null;
}

/** setTimeout's largest delay; a longer wait is taken in steps. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The default `jobs`: jobs, retries and dead letters in this process's memory.
 *
 * Not durable: jobs waiting or running when the process stops or crashes are lost, and so are dead
 * letters. Use it where losing queued background work on a restart is acceptable (one node, a
 * development set-up); a durable provider (Redis, Postgres) replaces it for production. Schedules are
 * the exception: a slot is claimed through the shared storage, so several nodes each running this
 * provider still fire each slot once.
 */
export class InProcessJobs implements JobsProvider {
  readonly name = 'in-process';
  private readonly handlers = new Map<string, { handler: JobHandler<unknown>; defaults: Omit<JobOptions, 'id'> }>();
  private readonly jobs = new Map<string, QueuedJob>();
  private readonly dead = new Map<string, DeadLetter & { options: Omit<JobOptions, 'id' | 'delayMs'> }>();
  private readonly schedules = new Map<string, Schedule>();
  private readonly running = new Map<string, { done: Promise<void>; abort: AbortController }>();
  private readonly claim: ScheduleClaim;
  private readonly concurrency: number;
  private readonly log?: Logger;
  private readonly metrics?: InProcessJobsOptions['metrics'];
  private state: 'idle' | 'started' | 'stopped' = 'idle';
  private wakeTimer: NodeJS.Timeout | null = null;

  constructor(options: InProcessJobsOptions = {}) {
    this.claim = options.claim ?? localClaims();
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.log = options.log;
    this.metrics = options.metrics;
  }

  define<P>(type: JobType<P>, handler: JobHandler<P>, defaults: Omit<JobOptions, 'id'> = {}): void {
    if (this.handlers.has(type.name)) throw new FaultlineError('FAULTLINE_ERR_JOB_DUPLICATE', `Job type "${type.name}" is defined twice`);
    this.handlers.set(type.name, { handler: handler as JobHandler<unknown>, defaults });
    this.pump();
  }

  async enqueue<P>(type: JobType<P>, payload: P, options: JobOptions = {}): Promise<EnqueuedJob> {
    if (this.state === 'stopped') throw new FaultlineError('FAULTLINE_ERR_STOPPING', 'Jobs are stopped');
    const def = this.handlers.get(type.name);
    if (!def) throw new FaultlineError('FAULTLINE_ERR_JOB_UNKNOWN_TYPE', `No handler is defined for job type "${type.name}"`);
    const id = options.id ?? randomUUID();
    if (this.jobs.has(id) || this.dead.has(id)) return { id, created: false };
    const merged = { ...def.defaults, ...options };
    const now = Date.now();
    const deadlineMs = merged.deadlineMs ?? DEFAULT_JOB_OPTIONS.deadlineMs;
    this.jobs.set(id, {
      id,
      type: type.name,
      payloadJson: JSON.stringify(payload ?? null),
      attempts: 0,
      maxAttempts: Math.max(1, merged.attempts ?? DEFAULT_JOB_OPTIONS.attempts),
      backoff: merged.backoff ?? DEFAULT_JOB_OPTIONS.backoff,
      deadlineMs,
      enqueuedAt: now,
      deadline: now + deadlineMs,
      runAt: now + Math.max(0, merged.delayMs ?? 0),
      running: false,
      lastError: null,
    });
    this.pump();
    return { id, created: true };
  }

  schedule<P>(name: string, options: ScheduleOptions, type: JobType<P>, payload: P): void {
    if (this.schedules.has(name)) throw new FaultlineError('FAULTLINE_ERR_JOB_DUPLICATE', `Schedule "${name}" is registered twice`);
    const slots = new CronSlots(name, options.cron, options.timezone ?? 'UTC');
    const schedule: Schedule = { name, slots, type: type as JobType<unknown>, payload, job: options.job, timer: null };
    this.schedules.set(name, schedule);
    if (this.state === 'started') this.arm(schedule, new Date());
  }

  async listDeadLetters(filter: { type?: string; limit?: number } = {}): Promise<DeadLetter[]> {
    const out: DeadLetter[] = [];
    for (const { options: _options, ...letter } of this.dead.values()) {
      if (filter.type !== undefined && letter.type !== filter.type) continue;
      out.push({ ...letter, payload: structuredClone(letter.payload) });
      if (filter.limit !== undefined && out.length >= filter.limit) break;
    }
    return out;
  }

  async replayDeadLetter(id: string): Promise<boolean> {
    const letter = this.dead.get(id);
    if (!letter) return false;
    this.dead.delete(id);
    try {
      await this.enqueue({ name: letter.type }, letter.payload, { ...letter.options, id });
    } catch (err) {
      this.dead.set(id, letter); // not replayed: keep the record
      throw err;
    }
    return true;
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    this.state = 'started';
    const now = new Date();
    for (const schedule of this.schedules.values()) this.arm(schedule, now);
    this.pump();
  }

  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    for (const schedule of this.schedules.values()) if (schedule.timer) clearTimeout(schedule.timer);
    const running = [...this.running.values()];
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.timeoutMs ?? 10_000);
    });
    await Promise.race([Promise.all(running.map((r) => r.done)), timedOut]);
    clearTimeout(timer);
    if (this.running.size > 0) {
      this.log?.warn({ jobs: [...this.running.keys()] }, 'jobs still running at stop were abandoned');
      for (const r of this.running.values()) r.abort.abort(new FaultlineError('FAULTLINE_ERR_STOPPING', 'Jobs are stopping'));
    }
    const waiting = [...this.jobs.values()].filter((j) => !j.running).length;
    if (waiting > 0) this.log?.warn({ waiting }, 'in-process jobs that had not run are dropped at stop (they are not durable)');
  }

  /** Starts due jobs up to the concurrency and sets one timer for the next job to come due. */
  private pump(): void {
    if (this.state !== 'started') return;
    const now = Date.now();
    let nextAt = Infinity;
    for (const job of this.jobs.values()) {
      if (job.running) continue;
      if (job.runAt > now) {
        nextAt = Math.min(nextAt, job.runAt);
        continue;
      }
      if (this.running.size >= this.concurrency) break;
      if (!this.handlers.has(job.type)) continue;
      if (now >= job.deadline) this.bury(job, 'deadline');
      else this.run(job);
    }
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    if (nextAt !== Infinity) {
      this.wakeTimer = setTimeout(() => this.pump(), Math.min(MAX_TIMER_MS, Math.max(0, nextAt - now)));
      this.wakeTimer.unref();
    }
  }

  private run(job: QueuedJob): void {
    const { handler } = this.handlers.get(job.type)!;
    job.running = true;
    job.attempts += 1;
    const abort = new AbortController();
    const ctx: JobContext = {
      id: job.id,
      type: job.type,
      attempt: job.attempts,
      maxAttempts: job.maxAttempts,
      deadline: new Date(job.deadline),
      signal: abort.signal,
    };
    let deadlineTimer: NodeJS.Timeout | undefined;
    const overdue = new Promise<'deadline'>((resolve) => {
      deadlineTimer = setTimeout(() => resolve('deadline'), Math.min(MAX_TIMER_MS, Math.max(0, job.deadline - Date.now())));
    });
    const attempt = (async () => handler(JSON.parse(job.payloadJson), ctx))().then(
      () => 'done' as const,
      (err: unknown) => ({ err }),
    );
    const done = Promise.race([attempt, overdue]).then((outcome) => {
      clearTimeout(deadlineTimer);
      this.running.delete(job.id);
      job.running = false;
      this.metrics?.jobAttempts.inc({ type: job.type, outcome: typeof outcome === 'string' ? outcome : 'failed' });
      if (outcome === 'done') {
        this.jobs.delete(job.id);
      } else if (outcome === 'deadline') {
        abort.abort(new FaultlineError('FAULTLINE_ERR_JOB_DEADLINE', `Job ${job.id} passed its deadline`));
        job.lastError = 'deadline passed while running';
        this.bury(job, 'deadline');
      } else {
        this.failed(job, outcome.err);
      }
      this.pump();
    });
    this.running.set(job.id, { done, abort });
  }

  private failed(job: QueuedJob, err: unknown): void {
    job.lastError = err instanceof Error ? err.message : String(err);
    this.log?.warn({ job: job.id, type: job.type, attempt: job.attempts, err }, 'job attempt failed');
    if (job.attempts >= job.maxAttempts) return this.bury(job, 'attempts');
    const runAt = Date.now() + backoffDelay(job.backoff, job.attempts);
    if (runAt >= job.deadline) return this.bury(job, 'deadline');
    job.runAt = runAt;
  }

  private bury(job: QueuedJob, reason: DeadLetterReason): void {
    this.jobs.delete(job.id);
    this.dead.set(job.id, {
      id: job.id,
      type: job.type,
      payload: JSON.parse(job.payloadJson),
      attempts: job.attempts,
      reason,
      error: job.lastError,
      enqueuedAt: new Date(job.enqueuedAt).toISOString(),
      failedAt: new Date().toISOString(),
      options: { attempts: job.maxAttempts, backoff: job.backoff, deadlineMs: job.deadlineMs },
    });
    this.metrics?.jobsDeadLettered.inc({ type: job.type, reason });
    this.log?.error({ job: job.id, type: job.type, reason, attempts: job.attempts }, 'job dead-lettered');
  }

  /** Sets the schedule's timer for its first slot after `after`. */
  private arm(schedule: Schedule, after: Date): void {
    const slot = schedule.slots.next(after);
    if (!slot || this.state !== 'started') return;
    const wait = slot.getTime() - Date.now();
    schedule.timer = setTimeout(
      () => {
        if (wait > MAX_TIMER_MS) return this.arm(schedule, after); // not there yet: wait another step
        void this.fire(schedule, slot);
        this.arm(schedule, new Date(Math.max(Date.now(), slot.getTime())));
      },
      Math.min(MAX_TIMER_MS, Math.max(0, wait)),
    );
    schedule.timer.unref();
  }

  private async fire(schedule: Schedule, slot: Date): Promise<void> {
    const at = slot.toISOString();
    try {
      if (!(await this.claim(schedule.name, at))) return;
      if (this.state !== 'started') return;
      await this.enqueue(schedule.type, schedule.payload, { ...schedule.job, id: `schedule:${schedule.name}:${at}` });
    } catch (err) {
      this.log?.error({ err, schedule: schedule.name, slot: at }, 'scheduled run failed to start');
    }
  }
}

/** Claims in this process only. */
function localClaims(): ScheduleClaim {
  const claimed = new Set<string>();
  return async (name, slot) => {
    const key = `${name}\u0000${slot}`;
    if (claimed.has(key)) return false;
    claimed.add(key);
    return true;
  };
}
