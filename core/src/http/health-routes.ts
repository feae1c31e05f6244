import { Router } from 'express';
import type { Metrics } from '../metrics.js';
import type { QueueProvider } from '../providers/queue.js';
import type { StorageProvider } from '../providers/storage.js';

const PING_TIMEOUT_MS = 2000;

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
