import express from 'express';
import type { Server } from 'node:http';
import { FaultlineError } from '../errors.js';
import { gracefulServer } from '../http/graceful-close.js';
import { openFaultline, type CliContext } from './open-faultline.js';
import { requireSharedQueueOrStop } from './shared-queue.js';

/** `faultline serve`: a standalone server with the router at `/`; stops cleanly on SIGINT/SIGTERM. */
export async function serveCommand(ctx: CliContext, options: { port?: string; process?: boolean }): Promise<void> {
  const port = parsePort(options.port ?? process.env.PORT ?? ctx.config.port ?? 3000);
  const faultline = await openFaultline(ctx, options.process === false ? { processEvents: false } : {});
  if (options.process === false) await requireSharedQueueOrStop(faultline, 'faultline serve --no-process');
  const app = express();
  app.disable('x-powered-by');
  if (ctx.config.trustProxy !== undefined) app.set('trust proxy', ctx.config.trustProxy);
  app.use('/', faultline.router());
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, () => resolve(s)).once('error', reject);
  });
  const graceful = gracefulServer(server);
  ctx.log.info({ port }, 'faultline listening');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    ctx.log.info({ signal }, 'shutting down');
    await graceful.close(); // requests in flight finish while Faultline still runs
    await faultline.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

export function parsePort(value: string | number): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', `port must be a number from 0 to 65535, not "${value}"`, { path: 'port' });
  }
  return port;
}
