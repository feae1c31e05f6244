import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createTestDatabase, freePort } from '@faultline/plugin-storage-postgres/testing';
import { createEventGenerator } from '../shared/events.js';
import { createHttpClient } from '../shared/http.js';
import { cpuSeconds } from '../shared/proc.js';
import { progress, summarize } from '../shared/stats.js';
import { writeRedisConfig } from './config.js';
import { runFaultline, startFaultline, type Running } from './processes.js';

export interface FloodOptions {
  redisUrl: string;
  floodEventsPerRequest: number;
  floodClients: number;
}

/** Every key's limit: the steady project's whole run stays below it, the flood passes it at once. */
const LIMIT_PER_MINUTE = 6000;
/** The steady project: 2 clients, requests of 10 events, 20 ms apart; this many requests per phase. */
const STEADY = { clients: 2, perRequest: 10, pauseMs: 20, requests: 150 };

/**
 * One ingest node + 1 worker on Redis with rate limits on. The steady project sends at its usual rate
 * twice: alone, then while another project's key floods from `floodClients` clients that ignore the 429s
 * (flood-client.ts, a process of its own; measured once the flood has met its first 429). Prints p50/p95
 * of the steady project's 202 in both phases, what the flood got, and the cores each side kept busy.
 */
export async function runFlood(options: FloodOptions) {
  const database = await createTestDatabase();
  const prefix = `faultline-bench-${randomBytes(4).toString('hex')}`;
  const env = { FAULTLINE_DATABASE_URL: database.url, FAULTLINE_REDIS_URL: options.redisUrl, FAULTLINE_RATE_LIMIT_PER_MINUTE: String(LIMIT_PER_MINUTE) };
  const config = ['--config', await writeRedisConfig(options.redisUrl, prefix)];
  const running: Running[] = [];
  const http = createHttpClient(STEADY.clients);
  let stopFlooder = () => undefined as unknown;
  try {
    const steady = JSON.parse(await runFaultline([...config, 'project', 'create', 'Steady', '--json'], env));
    const flooderProject = JSON.parse(await runFaultline([...config, 'project', 'create', 'Flooder', '--json'], env));
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}/api/v1/events`;
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}/flood`] : [];
    running.push(await startFaultline([...config, 'serve', '--port', String(port), '--no-process'], env, 'faultline listening', profile));
    running.push(await startFaultline([...config, 'worker'], env, 'faultline worker running'));

    const nextEvent = createEventGenerator({ issues: 50 });
    const steadyBody = () => Buffer.from(`{"events":[${Array.from({ length: STEADY.perRequest }, () => JSON.stringify(nextEvent())).join(',')}]}`);
    const post = (key: string, body: Buffer) =>
      http.request('POST', endpoint, { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': String(body.length) }, body);

    async function steadyPhase(requests: number) {
      const ms: number[] = [];
      const refused: Record<number, number> = {};
      let next = 0;
      await Promise.all(
        Array.from({ length: STEADY.clients }, async () => {
          while (next++ < requests) {
            const body = steadyBody();
            const start = performance.now();
            const res = await post(steady.publicKey, body);
            if (res.status === 202) ms.push(performance.now() - start);
            else refused[res.status] = (refused[res.status] ?? 0) + 1;
            await new Promise((resolve) => setTimeout(resolve, STEADY.pauseMs));
          }
        }),
      );
      const s = summarize(ms);
      return { requests, p50AcceptMs: s.p50, p95AcceptMs: s.p95, not202: refused };
    }

    await steadyPhase(50); // warm-up, not measured
    progress(`flood: the steady project alone, ${STEADY.requests} requests`);
    const quiet = await steadyPhase(STEADY.requests);

    const flooder = fork(fileURLToPath(new URL('./flood-client.ts', import.meta.url)), [endpoint, flooderProject.publicKey, String(options.floodClients), String(options.floodEventsPerRequest)], {
      execArgv: ['--import', 'tsx', '--conditions=faultline-source'],
    });
    const messages: unknown[] = [];
    let nextMessage: () => void = () => undefined;
    flooder.on('message', (m) => (messages.push(m), nextMessage()));
    flooder.on('exit', (code) => (messages.push({ exited: code }), nextMessage()));
    stopFlooder = () => flooder.kill();
    const message = async () => {
      while (messages.length === 0) await new Promise<void>((resolve) => (nextMessage = resolve));
      const m = messages.shift() as Record<string, unknown>;
      if ('exited' in m) throw new Error(`the flood's clients exited (${String(m.exited)}) before they were done`);
      return m;
    };
    await message(); // its first 429: the key is past its limit
    progress(`flood: the steady project while another key floods from ${options.floodClients} clients`);
    flooder.send('measure');
    const start = performance.now();
    const cpuBefore = { node: cpuSeconds(running[0].pid), worker: cpuSeconds(running[1].pid), self: process.cpuUsage() };
    const flooded = await steadyPhase(STEADY.requests);
    const seconds = (performance.now() - start) / 1000;
    const self = process.cpuUsage(cpuBefore.self);
    const node = cpuSeconds(running[0].pid) - cpuBefore.node;
    const worker = cpuSeconds(running[1].pid) - cpuBefore.worker;
    flooder.send('stop');
    const flood = (await message()) as { requests: number; statuses: Record<number, number>; cpuSeconds: number };
    // Cores busy during the flooded phase: what the flood costs the machine, and who pays it.
    const cores = (s: number) => Math.round((s / seconds) * 100) / 100;
    const coresBusy = { ingestNode: cores(node), worker: cores(worker), steadyClients: cores((self.user + self.system) / 1e6), floodClients: cores(flood.cpuSeconds) };
    return {
      limitPerMinute: LIMIT_PER_MINUTE,
      steady: { clients: STEADY.clients, eventsPerRequest: STEADY.perRequest, pauseMs: STEADY.pauseMs },
      quiet,
      flooded,
      p95FloodedVsQuiet: Math.round((flooded.p95AcceptMs / quiet.p95AcceptMs) * 100) / 100,
      flood: { clients: options.floodClients, eventsPerRequest: options.floodEventsPerRequest, requestsPerSecond: Math.round(flood.requests / seconds), statuses: flood.statuses },
      ingestNodeCpuUsPerFloodRequest: Math.round((node * 1e6) / Math.max(1, flood.requests)),
      coresBusyWhileFlooded: coresBusy,
    };
  } finally {
    stopFlooder();
    http.close();
    for (const p of running.reverse()) await p.stop();
    const redis = new Redis(options.redisUrl);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await database.drop();
  }
}
