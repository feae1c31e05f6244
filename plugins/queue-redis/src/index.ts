import { definePlugin, type FaultlinePlugin } from '@faultline/core';
import type { Redis } from 'ioredis';
import { resolveOptions, type QueueRedisOptions } from './options.js';
import { closeRedis, openRedis } from './redis-connection.js';
import { RedisJobs } from './redis-jobs.js';
import { RedisPubSub } from './redis-pubsub.js';
import { RedisQueue } from './redis-queue.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

export { defaultOptions, type QueueRedisOptions, type QueueOptions } from './options.js';
export { RedisRateLimiter } from './redis-rate-limiter.js';
export { RedisPubSub } from './redis-pubsub.js';
export { RedisJobs } from './redis-jobs.js';
export { RedisQueue, INGEST_QUEUE_NAME } from './redis-queue.js';
export type { IngestJobData } from './ingest-job.js';

/**
 * Faultline on Redis: `queueRedis({ url, prefix })`, or no options to use FAULTLINE_REDIS_URL.
 * Provides the `queue` (bee-queue: ingest nodes write jobs, `faultline worker`s commit them), a
 * `rateLimiter` shared by every node, `pubsub` across nodes, and durable `jobs` (a bee-queue of their own;
 * run by nodes that process events, enqueued by any).
 */
export function queueRedis(options: QueueRedisOptions = {}): FaultlinePlugin {
  const resolved = resolveOptions(options);
  let commands: Redis | null = null;
  return definePlugin({
    name: '@faultline/plugin-queue-redis',
    core: '^0.1.0',
    setup(ctx) {
      commands = openRedis(resolved.url, ctx.log, 'commands', { name: `${resolved.prefix}-commands` });
      const queue = { ...resolved.queue, maxDepth: resolved.queue.maxDepth ?? ctx.config.batch.maxPending };
      ctx.provide('queue', new RedisQueue({ url: resolved.url, prefix: `${resolved.prefix}:bq`, queue, batch: ctx.config.batch, log: ctx.log.child({ provider: 'queue' }) }));
      ctx.provide('rateLimiter', new RedisRateLimiter(commands, `${resolved.prefix}:rate`));
      // Core starts the pubsub after the plugins (so `commands` is connected) and stops it before them.
      const subscriber = openRedis(resolved.url, ctx.log, 'subscriber', { offlineQueue: true, name: `${resolved.prefix}-subscriber` });
      ctx.provide('jobs', new RedisJobs({
        url: resolved.url,
        prefix: `${resolved.prefix}:bq`,
        claimPrefix: `${resolved.prefix}:schedule`,
        commands,
        runsJobs: ctx.config.processEvents,
        concurrency: 4,
        log: ctx.log.child({ provider: 'jobs' }),
      }));
      ctx.provide('pubsub', new RedisPubSub(commands, subscriber, `${resolved.prefix}:pubsub`, ctx.log.child({ provider: 'pubsub' })));
    },
    async start() {
      await commands?.connect();
    },
    async stop() {
      if (commands) await closeRedis(commands);
    },
  });
}

/** The CLI and config files load plugins by package name and call the default export. */
export default queueRedis;
