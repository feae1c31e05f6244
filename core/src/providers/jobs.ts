/**
 * The `jobs` provider: background work that must not be lost and must not run on the request path
 * (alert deliveries, digests, archive runs, reindexing), and a scheduler for cron-like work that fires
 * once per slot however many nodes run it.
 *
 * A job is identified by a typed name (`jobType<P>('alert:deliver')`), so the enqueuer and the handler
 * agree on the payload's type; the payload itself is plain JSON, because a shared provider (Redis,
 * Postgres) carries it to another process. Handlers are defined on every node that runs jobs; any node
 * may enqueue.
 *
 * Delivery is at least once: a handler may run again after a crash or a timeout, so handlers are
 * idempotent (the job's `id` is stable across attempts and suits as a de-duplication key).
 */

/** A job's name with its payload's type attached; make one with `jobType`. */
export interface JobType<P> {
  readonly name: string;
  /** Never set: only carries `P` for the type checker. */
  readonly payload?: P;
}

/** `const ALERT_DELIVERY = jobType<{ deliveryId: string }>('alert:deliver')`. Names are `area:what`. */
export function jobType<P>(name: string): JobType<P> {
  return { name };
}

export interface JobBackoff {
  /** Wait before the second attempt; each later wait is `factor` times the one before. */
  initialMs: number;
  /** Default 2. */
  factor?: number;
  /** Cap on one wait. Default 1 hour. */
  maxMs?: number;
}

export interface JobOptions {
  /** Attempts in all, the first included. Default 5. */
  attempts?: number;
  /** Default { initialMs: 1000, factor: 2, maxMs: 3_600_000 }. */
  backoff?: JobBackoff;
  /**
   * Milliseconds from enqueueing after which the job is given up (dead-lettered with reason `deadline`)
   * rather than tried again. A running attempt past it is abandoned. Default 24 hours.
   */
  deadlineMs?: number;
  /** Do not run before this many milliseconds from now. Default 0. */
  delayMs?: number;
  /**
   * Idempotency id: enqueueing a job whose id is already waiting, running or dead-lettered does nothing
   * and resolves `{ created: false }`. Default: a fresh random id.
   */
  id?: string;
}

export interface EnqueuedJob {
  id: string;
  /** False when a job with this id already existed (nothing was added). */
  created: boolean;
}

export interface JobContext {
  id: string;
  type: string;
  /** 1 on the first attempt. */
  attempt: number;
  maxAttempts: number;
  /** When the job is given up. */
  deadline: Date;
  /** Aborted when the deadline passes or the provider stops; long handlers should pass it on. */
  signal: AbortSignal;
}

export type JobHandler<P> = (payload: P, ctx: JobContext) => Promise<void>;

export type DeadLetterReason = 'attempts' | 'deadline';

/** A job that exhausted its attempts or passed its deadline, kept until it is replayed. */
export interface DeadLetter {
  id: string;
  type: string;
  payload: unknown;
  attempts: number;
  reason: DeadLetterReason;
  /** The last attempt's error message, if it threw. */
  error: string | null;
  enqueuedAt: string;
  failedAt: string;
}

export interface ScheduleOptions {
  /** Cron expression (5 fields, or 6 with seconds first), as croner reads it. */
  cron: string;
  /** IANA time zone the expression is read in ('Europe/Berlin'). Default 'UTC'. */
  timezone?: string;
  /** Options for each job the schedule enqueues (its id is always `schedule:<name>:<slot>`). */
  job?: Omit<JobOptions, 'id' | 'delayMs'>;
}

/**
 * Claims one slot of one schedule for this node; true for exactly one caller per (name, slot), however
 * many nodes ask. `StorageProvider.claimScheduledRun` is one; the in-process provider takes it.
 */
export type ScheduleClaim = (name: string, slot: string) => Promise<boolean>;

export interface JobsProvider {
  readonly name: string;
  /** The handler for a job type on this node. Defining a type twice throws. */
  define<P>(type: JobType<P>, handler: JobHandler<P>, defaults?: Omit<JobOptions, 'id'>): void;
  /** Resolves once the job is recorded (durably, for a durable provider). */
  enqueue<P>(type: JobType<P>, payload: P, options?: JobOptions): Promise<EnqueuedJob>;
  /**
   * Enqueues `type` with `payload` at each slot of the cron expression, once per slot across every node
   * that registers the same `name` against the same shared state. A slot missed while no node ran is
   * skipped, not caught up. Registering a name twice on one node throws.
   */
  schedule<P>(name: string, options: ScheduleOptions, type: JobType<P>, payload: P): void;
  /** Dead letters, oldest first. */
  listDeadLetters(filter?: { type?: string; limit?: number }): Promise<DeadLetter[]>;
  /** Enqueues a dead letter again with fresh attempts and deadline and removes it; false if unknown. */
  replayDeadLetter(id: string): Promise<boolean>;
  /** Starts running due jobs and firing schedules. */
  start(): Promise<void>;
  /**
   * Stops taking jobs and firing schedules; waits up to `timeoutMs` (default 10 s) for running
   * handlers, then abandons them (their signal is aborted; a durable provider runs them again later).
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}
