import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * An ioredis connection that fails commands at once while Redis is unreachable (no offline queue), so
 * ingest answers 503 instead of piling up requests; it keeps reconnecting in the background.
 * Errors are logged once per outage, not once per reconnect attempt. A subscriber connection keeps its
 * offline queue, so its SUBSCRIBEs wait for the connection instead of failing.
 */
export function openRedis(url: string, log: Logger, role: string, options: { offlineQueue?: boolean; name?: string } = {}): Redis {
  const client = new Redis(url, {
    // Shown by CLIENT LIST, so an operator (or a test) can tell Faultline's connections apart.
    connectionName: options.name ?? `faultline-${role}`,
    enableOfflineQueue: options.offlineQueue ?? false,
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
