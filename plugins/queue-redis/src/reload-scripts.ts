import { createRequire } from 'node:module';
import type BeeQueue from 'bee-queue';

const require = createRequire(import.meta.url);
const lua = require('bee-queue/lib/lua') as { buildCache(client: unknown): Promise<unknown> };

/**
 * bee-queue loads its Lua scripts once, at start, and then only calls EVALSHA; a Redis that restarts
 * has forgotten them and every job would fail with NOSCRIPT. Load them again on every reconnect with
 * bee-queue's own loader (it has no option for this).
 */
export function reloadScriptsOnReconnect(bee: BeeQueue<any>, onError: (err: Error) => void): void {
  const client = (bee as unknown as { client: { on(event: 'ready', fn: () => void): void } }).client;
  client.on('ready', () => {
    lua.buildCache(client).catch(onError);
  });
}
