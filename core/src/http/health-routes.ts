import { Router } from 'express';
import type { Metrics } from '../metrics.js';
import type { ApiOperation } from '../openapi/api-operation.js';
import type { QueueProvider } from '../providers/queue.js';
import type { StorageProvider } from '../providers/storage.js';

const PING_TIMEOUT_MS = 2000;

export const HEALTH = { type: 'object', required: ['status'], properties: { status: { const: 'ok' } } };
export const READINESS = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ready', 'unavailable'] },
    checks: { type: 'object', additionalProperties: { type: 'string' }, description: '`ok`, or why not: `down: ...`, `full: ...`' },
  },
};

/** Liveness, readiness (dependencies answer) and Prometheus metrics. */
export function healthRoutes(deps: {
  storage(): StorageProvider;
  queue(): QueueProvider;
  metrics: Metrics;
  maxPending: number;
  /** Request bodies waiting for an ingest thread. */
  ingestWaiting(): number;
}): Router {
  const router = Router();

  router.get('/healthz', function healthz(_req, res) {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async function readyz(_req, res) {
    const checks: Record<string, string> = {};
    try {
      await withTimeout(deps.storage().ping(), PING_TIMEOUT_MS);
      checks.storage = 'ok';
    } catch (err) {
      checks.storage = `down: ${(err as Error).message}`;
    }
    const queue = deps.queue();
    const pending = queue.pending();
    checks.queue = pending < deps.maxPending * 0.9 ? 'ok' : `full: ${pending} pending`;
    if (queue.ping) {
      try {
        await withTimeout(queue.ping(), PING_TIMEOUT_MS);
      } catch (err) {
        checks.queue = `down: ${(err as Error).message}`;
      }
    }
    const ready = Object.values(checks).every((v) => v === 'ok');
    if (!ready) res.setHeader('Retry-After', '5');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks });
  });

  router.get('/metrics', async function metrics(_req, res) {
    deps.metrics.queuePending.set(deps.queue().pending());
    deps.metrics.ingestThreadWaiting.set(deps.ingestWaiting());
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });

  return router;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    }),
  ]);
}

const RETRY_AFTER = { description: 'Seconds to wait before asking again', schema: { type: 'integer', minimum: 0 } };

/** The operations of these routes, for the OpenAPI document. */
export const healthOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'healthz',
    summary: 'Liveness: the process answers',
    tags: ['health'],
    security: 'none',
    responses: { 200: { description: 'Alive', schema: HEALTH } },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'readyz',
    summary: 'Readiness: storage and queue answer, and the queue has room',
    tags: ['health'],
    security: 'none',
    responses: {
      200: { description: 'Ready', schema: READINESS },
      503: { description: 'Not ready; `checks` says what is not', schema: READINESS, headers: { 'Retry-After': RETRY_AFTER } },
    },
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics',
    tags: ['health'],
    security: 'none',
    responses: { 200: { description: 'The text exposition format', contentType: 'text/plain', schema: { type: 'string' } } },
  },
];
