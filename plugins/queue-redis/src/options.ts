import { FaultlineError } from '@faultline/core';

/** Options of `queueRedis(options)`; every one has a default. */
export interface QueueRedisOptions {
  /** Redis URL; default FAULTLINE_REDIS_URL, else redis://127.0.0.1:6379. */
  url?: string;
  /** Prepended to every key and channel, so several Faultlines (or tests) can share one Redis. */
  prefix?: string;
  queue?: Partial<QueueOptions>;
}

export interface QueueOptions {
  /** Events waiting, running or waiting for a retry before ingest answers 503 (default: core's batch.maxPending). */
  maxDepth: number;
  /** How long ingest waits for Redis to take a job before answering 503. */
  enqueueTimeoutMs: number;
  /** Attempts after the first before a job goes to the dead letters. */
  retries: number;
  /** First retry delay; each later one doubles. */
  retryDelayMs: number;
  /** A job whose worker stops renewing its lock for this long is handed to another worker. */
  stallIntervalMs: number;
  /** Jobs one worker holds at once; they are grouped into storage batches of core's batch.maxSize. */
  concurrency: number;
  /** How often the queue depth is read for backpressure and /readyz. */
  depthIntervalMs: number;
  /**
   * On stop, a worker keeps taking jobs until the queue is empty or this long has passed, then finishes
   * those in flight; what is left waits in Redis for the next worker.
   */
  drainOnStopMs: number;
}

export interface ResolvedOptions {
  url: string;
  prefix: string;
  queue: Omit<QueueOptions, 'maxDepth'> & { maxDepth: number | null };
}

export const defaultOptions = {
  url: 'redis://127.0.0.1:6379',
  prefix: 'faultline',
  queue: {
    maxDepth: null,
    enqueueTimeoutMs: 2000,
    retries: 5,
    retryDelayMs: 1000,
    stallIntervalMs: 5000,
    concurrency: 200,
    depthIntervalMs: 250,
    drainOnStopMs: 5000,
  },
} satisfies ResolvedOptions;

/** Fills defaults and checks values, so a bad option fails at start-up naming the setting. */
export function resolveOptions(options: QueueRedisOptions, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const url = options.url ?? env.FAULTLINE_REDIS_URL ?? defaultOptions.url;
  if (!/^rediss?:\/\//.test(url)) invalid('url', `must start with redis:// or rediss://, not "${url}"`);
  const prefix = options.prefix ?? defaultOptions.prefix;
  if (!/^[A-Za-z0-9_:.-]+$/.test(prefix)) invalid('prefix', 'may hold only letters, digits and _ : . -');
  const queue = { ...defaultOptions.queue, ...options.queue };
  for (const [name, value] of Object.entries(queue)) {
    if (name === 'maxDepth' && value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < (name === 'retries' ? 0 : 1)) {
      invalid(`queue.${name}`, `must be a whole number${name === 'retries' ? ' ≥ 0' : ' > 0'}, not ${JSON.stringify(value)}`);
    }
  }
  return { url, prefix, queue };
}

function invalid(path: string, message: string): never {
  throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', `plugin-queue-redis: ${path} ${message}`, { path });
}
