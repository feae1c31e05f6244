import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * An ioredis connection that fails commands at once while Redis is unreachable (no offline queue), so
 * ingest answers 503 instead of piling up requests; it keeps reconnecting in the background.
 * Errors are logged once per outage, not once per reconnect attempt.
 */
export function openRedis(url: string, log: Logger, role: string): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    lazyConnect: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  });
  let down = false;
  client.on('error', (err) => {
    if (down) return;
    down = true;
    log.warn({ err: { message: err.message }, role }, 'redis connection lost; reconnecting');
  });
  client.on('ready', () => {
    if (down) log.info({ role }, 'redis connection back');
    down = false;
  });
  return client;
}

/** Closes a connection politely, or drops it if Redis does not answer. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') return client.disconnect();
  await client.quit().catch(() => client.disconnect());
}
