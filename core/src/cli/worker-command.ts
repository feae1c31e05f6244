import express from 'express';
import type { Server } from 'node:http';
import { openFaultline, type CliContext } from './open-faultline.js';
import { parsePort } from './serve-command.js';
import { requireSharedQueueOrStop } from './shared-queue.js';
import { onShutdownSignal } from './shutdown.js';

/**
 * `faultline worker`: takes queued batches, stores them and runs what follows (hooks, pubsub); no ingest.
 * With `--port`, serves /healthz, /readyz and /metrics only. SIGTERM or SIGINT: stop taking jobs, finish
 * those in flight (or leave them to another worker), close connections, exit 0.
 */
export async function workerCommand(ctx: CliContext, options: { port?: string }): Promise<void> {
  const faultline = await openFaultline(ctx, { processEvents: true });
  await requireSharedQueueOrStop(faultline, 'faultline worker');
  let server: Server | null = null;
  if (options.port !== undefined) {
    const port = parsePort(options.port);
    const app = express();
    app.disable('x-powered-by');
    const router = faultline.router();
    app.get(['/healthz', '/readyz', '/metrics'], router);
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(port, () => resolve(s)).once('error', reject);
    });
  }
  ctx.log.info({ queue: faultline.queue.name, port: options.port ?? null }, 'faultline worker running');
  onShutdownSignal(ctx.log, async () => {
    server?.close();
    server?.closeIdleConnections();
    await faultline.stop();
  });
}
