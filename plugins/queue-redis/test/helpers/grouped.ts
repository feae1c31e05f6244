import { pino } from 'pino';
import { DEFAULT_BATCH, type BatchOptions, type GroupedEvent } from '@faultline/core';
import { defaultOptions, RedisQueue, type QueueOptions } from '../../src/index.js';
import { eventId } from './events.js';
import { REDIS_URL } from './redis.js';

/** A grouped event as ingest makes it; only its id matters to a queue. */
export function groupedEvent(id = eventId()): GroupedEvent {
  const now = new Date().toISOString();
  return {
    projectId: 1,
    eventId: id,
    receivedAt: now,
    timestamp: now,
    level: 'error',
    platform: 'node',
    release: null,
    environment: null,
    fingerprint: 'f'.repeat(32),
    groupingVersion: '1',
    userKey: null,
    meta: { title: 'Error', culprit: 'app.js', type: 'Error', value: 'boom' },
    payload: new TextEncoder().encode(JSON.stringify({ event_id: id, message: 'boom' })),
  };
}

/** A RedisQueue on `prefix` with test-sized timings; call consume() before start() to make it a worker. */
export function testQueue(prefix: string, options: { queue?: Partial<QueueOptions>; batch?: Partial<BatchOptions>; url?: string } = {}): RedisQueue {
  return new RedisQueue({
    url: options.url ?? REDIS_URL,
    prefix: `${prefix}:bq`,
    queue: { ...defaultOptions.queue, maxDepth: 10_000, stallIntervalMs: 500, retryDelayMs: 20, depthIntervalMs: 50, ...options.queue },
    batch: { ...DEFAULT_BATCH, ...options.batch },
    log: pino({ level: process.env.FAULTLINE_TEST_LOG_LEVEL ?? 'silent' }),
  });
}
