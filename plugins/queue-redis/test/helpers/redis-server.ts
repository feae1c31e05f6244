import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from '@faultline/plugin-storage-postgres/testing';

const run = promisify(execFile);

export interface OwnRedis {
  url: string;
  port: number;
  /** SIGKILLs the server: nothing is flushed beyond what its fsync policy already wrote. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  /** Kills it and removes its directory. */
  remove(): Promise<void>;
}

/**
 * A redis-server of the test's own on a spare port, for tests that stop Redis. AOF with
 * `appendfsync always`, so a kill keeps every write Redis acknowledged, as a durable 202 needs.
 */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'faultline-redis-'));
  const pidfile = path.join(dir, 'redis.pid');
  let pid = 0;
  async function start(): Promise<void> {
    await rm(pidfile, { force: true });
    await run('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir, '--pidfile', pidfile, '--daemonize', 'yes']);
    // The daemon forks before it listens: try until it answers PING (only once its AOF is loaded).
    for (;;) {
      const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.ping();
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 20));
      } finally {
        client.disconnect();
      }
    }
    pid = Number((await readFile(pidfile, 'utf8')).trim());
  }
  async function kill(): Promise<void> {
    if (!pid) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 10));
    pid = 0;
  }
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    restart: start,
    async remove() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
