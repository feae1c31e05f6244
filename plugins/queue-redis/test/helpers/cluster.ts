import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@faultline/plugin-storage-postgres/testing';
import type { QueueRedisOptions } from '../../src/index.js';
import { runCli, startCli, type CliProcess } from './processes.js';

export interface Cluster {
  env: Record<string, string>;
  /** `faultline serve` (with `--no-process` unless `process` is true); resolves with its URL. */
  ingest(options?: { process?: boolean }): Promise<CliProcess & { url: string }>;
  worker(): Promise<CliProcess>;
  /** `project create --json` through the CLI. */
  project(name: string): Promise<{ id: number; publicKey: string; dsn: string }>;
  /** Runs a one-shot command of this installation to its end. */
  run(args: string[]): ReturnType<typeof runCli>;
  /** SIGKILLs every process still running and removes the config. */
  close(): Promise<void>;
}

/**
 * Faultline processes of one installation for a test: one database, one Redis key prefix, a config file
 * that lists the Redis plugin with test-sized timings, and `env` for every process (settings such as
 * FAULTLINE_RATE_LIMIT_PER_MINUTE). Each process is a real child the test can kill.
 */
export async function cluster(databaseUrl: string, redis: QueueRedisOptions, settings: Record<string, string> = {}): Promise<Cluster> {
  const dir = await mkdtemp(path.join(tmpdir(), 'faultline-cluster-'));
  const config = path.join(dir, 'faultline.config.json');
  await writeFile(config, JSON.stringify({ plugins: [['@faultline/plugin-queue-redis', redis]] }));
  const env = { ...settings, FAULTLINE_DATABASE_URL: databaseUrl };
  const running: CliProcess[] = [];
  const track = <T extends CliProcess>(p: T) => (running.push(p), p);
  return {
    env,
    async ingest(options = {}) {
      const port = await freePort();
      const args = ['--config', config, 'serve', '--port', String(port), ...(options.process ? [] : ['--no-process'])];
      const p = await startCli(args, env, 'faultline listening');
      return track(Object.assign(p, { url: `http://127.0.0.1:${port}` }));
    },
    async worker() {
      return track(await startCli(['--config', config, 'worker'], env, 'faultline worker running'));
    },
    run: (args) => runCli(['--config', config, ...args], env),
    async project(name) {
      const res = await runCli(['--config', config, 'project', 'create', name, '--json', '--url', 'http://127.0.0.1:1'], env);
      if (res.code !== 0) throw new Error(res.stderr);
      return JSON.parse(res.stdout);
    },
    async close() {
      for (const p of running) p.signal('SIGKILL');
      await Promise.all(running.map((p) => p.exited));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export { runCli };
