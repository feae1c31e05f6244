import type { Faultline } from '../create-faultline.js';
import { FaultlineError } from '../errors.js';

export const REDIS_PLUGIN = '@faultline/plugin-queue-redis';

/** FAULTLINE_REDIS_URL set and the Redis plugin not listed: add it, so one variable scales out. */
export function withRedisPlugin<T extends [string, unknown]>(list: T[], env: NodeJS.ProcessEnv = process.env): T[] {
  if (!env.FAULTLINE_REDIS_URL || list.some(([name]) => name === REDIS_PLUGIN)) return list;
  return [...list, [REDIS_PLUGIN, {}] as T];
}

/**
 * `faultline worker` and `serve --no-process` split work between processes, which needs a queue that
 * crosses them; with the in-process one, events would wait for a processor that never comes.
 */
export function requireSharedQueue(faultline: Faultline, what: string): void {
  if (faultline.queue.name !== 'in-process') return;
  throw new FaultlineError(
    'FAULTLINE_ERR_CONFIG_INVALID',
    `${what} needs a queue shared between processes: set FAULTLINE_REDIS_URL (or list ${REDIS_PLUGIN} in the config)`,
    { path: 'FAULTLINE_REDIS_URL' },
  );
}

/** requireSharedQueue for a Faultline already started: stops it before failing. */
export async function requireSharedQueueOrStop(faultline: Faultline, what: string): Promise<void> {
  try {
    requireSharedQueue(faultline, what);
  } catch (err) {
    await faultline.stop();
    throw err;
  }
}
