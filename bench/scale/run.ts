/**
 * bench:scale — one Faultline process against ingest nodes and workers on Redis, on this machine:
 *   node --import tsx --conditions=faultline-source bench/scale/run.ts [--events 20000] [--clients 8]
 *     [--batch 100] [--setups alone,1,2,flood] [--ingest-threads N] [--flood-clients 16]
 * For each set-up (single process; `serve --no-process` alone, its 202 rate with Redis only; + 1 worker;
 * + 2 workers) on a fresh database and
 * Redis prefix: the 202 rate (events/s acknowledged), the stored rate (events/s until the last is
 * committed), p95 of the 202, the queue depth (jobs) sampled every 250 ms, and CPU per event by process
 * (and by thread for the node that answers). Then `flood` (flood.ts): another project's 202 latency
 * with and without a key flooding past its limit. Prints one JSON object on stdout, each set-up beside
 * the single process's figure of the same run; progress goes to stderr.
 * Processes run from source through tsx, so absolute figures are a little below the built packages'.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Redis } from 'ioredis';
import { createTestDatabase, freePort } from '@faultline/plugin-storage-postgres/testing';
import { numberOption } from '../shared/args.js';
import { createEventGenerator } from '../shared/events.js';
import { cpuSeconds } from '../shared/proc.js';
import { progress } from '../shared/stats.js';
import { sendBatches } from '../ingest/load.js';
import { storedCounts } from '../ingest/verify.js';
import { writeRedisConfig } from './config.js';
import { runFlood } from './flood.js';
import { runFaultline, startFaultline, type Running } from './processes.js';
import { databaseCpu } from '../shared/database-cpu.js';
import { splitThreadCpu, threadCpuSeconds } from './thread-cpu.js';

const events = numberOption('events', 'BENCH_EVENTS', 20_000);
const clients = numberOption('clients', 'BENCH_CLIENTS', 8);
const batch = numberOption('batch', 'BENCH_BATCH', 100);
const redisUrl = process.env.FAULTLINE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** `--setups alone,1,2,flood` runs only those set-ups (the single process always runs: it is the baseline). */
const setups = new Set((stringOption('setups') ?? 'alone,1,2,flood').split(','));
const floodClients = numberOption('flood-clients', 'BENCH_FLOOD_CLIENTS', 16);
/** Events per request of the flooding key (an SDK sends one at a time; a batching client many). */
const floodBatch = numberOption('flood-batch', 'BENCH_FLOOD_BATCH', 1);
/** BENCH_CPU_PROF=<dir>: the ingest node (or single process) and each worker write V8 CPU profiles there, per set-up. */
const cpuProfileDir = process.env.BENCH_CPU_PROF;
/** `--ingest-node-flags '--single-threaded-gc'`: node flags added to the ingest nodes' (`--single-flags`: the single process's). */
const ingestNodeFlags = stringOption('ingest-node-flags');
const singleFlags = stringOption('single-flags');
/** `--ingest-threads N`: FAULTLINE_INGEST_THREADS of the ingest nodes (`serve --no-process`); default core's (cores − 1). */
const ingestNodeThreads = stringOption('ingest-threads');

progress(`generating ${events} events`);
const nextEvent = createEventGenerator({ issues: 300 });
const json = Array.from({ length: events }, () => JSON.stringify(nextEvent()));
const bodies: Buffer[] = [];
for (let i = 0; i < json.length; i += batch) bodies.push(Buffer.from(`{"events":[${json.slice(i, i + batch).join(',')}]}`));
// Sent first and not measured, so each set-up's processes are warm (JIT, connection pools).
const WARMUP_EVENTS = 2000;
const warmup: Buffer[] = [];
for (let i = 0; i < WARMUP_EVENTS; i += batch) warmup.push(Buffer.from(`{"events":[${Array.from({ length: batch }, () => JSON.stringify(nextEvent())).join(',')}]}`));

interface Result {
  setup: string;
  acceptedPerSecond: number;
  /** Null for the ingest node alone. */
  storedPerSecond: number | null;
  p95AcceptMs: number;
  p50AcceptMs: number;
  retries: number;
  /** Jobs waiting, running or delayed, sampled every 250 ms from the first request (Redis set-ups). */
  queueDepth: number[];
  complete: boolean | null;
  /**
   * CPU microseconds per measured event, by process: the node that answers the requests (ingest threads
   * included), the workers, Redis, the postgres processes of the run's database (its backends and the
   * server's background processes) and this load generator. Redis is shared with other work on the
   * machine, which counts too.
   */
  cpuUsPerEvent: { ingestNode: number; workers: number; redis: number; postgres: number; loadGenerator: number; all: number };
  /** The node's CPU per event by thread: main, its ingest threads, the rest (GC helpers, libuv). */
  ingestNodeThreadsUsPerEvent: { main: number; ingestThreads: number; other: number };
}

async function runSetup(setup: string, workers: number | null): Promise<Result> {
  const database = await createTestDatabase();
  const prefix = `faultline-bench-${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = { FAULTLINE_DATABASE_URL: database.url, FAULTLINE_RATE_LIMIT_PER_MINUTE: '0' };
  const configEnv = workers === null ? { ...env, FAULTLINE_REDIS_URL: '' } : { ...env, FAULTLINE_REDIS_URL: redisUrl };
  const serveEnv = workers !== null && ingestNodeThreads ? { ...configEnv, FAULTLINE_INGEST_THREADS: ingestNodeThreads } : configEnv;
  const config = workers === null ? [] : ['--config', await writeRedisConfig(redisUrl, prefix)];
  const running: Running[] = [];
  const redis = new Redis(redisUrl);
  try {
    const project = JSON.parse(await runFaultline([...config, 'project', 'create', 'Bench', '--json'], configEnv));
    const port = await freePort();
    const profile = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}/${setup.replace(/\W+/g, '-')}`] : [];
    const flags = workers === null ? singleFlags : ingestNodeFlags;
    if (flags) profile.push(...flags.split(' '));
    running.push(await startFaultline([...config, 'serve', '--port', String(port), ...(workers === null ? [] : ['--no-process'])], serveEnv, 'faultline listening', profile));
    for (let i = 0; i < (workers ?? 0); i++) {
      const workerProfile = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}/${setup.replace(/\W+/g, '-')}-worker-${i + 1}`] : [];
      running.push(await startFaultline([...config, 'worker'], configEnv, 'faultline worker running', workerProfile));
    }
    await sendBatches(`http://127.0.0.1:${port}`, project.publicKey, warmup, clients);
    if (workers !== 0) await storedAtLeast(database.url, project.id, WARMUP_EVENTS);
    progress(`${setup}: sending ${bodies.length} requests of ${batch} events from ${clients} clients`);
    const depth: number[] = [];
    const sampler = workers === null ? null : setInterval(() => void queueDepth(redis, prefix).then((d) => depth.push(d)), 250);
    const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))![1]);
    const cpuBefore = { threads: threadCpuSeconds(running[0].pid), processes: running.map((p) => cpuSeconds(p.pid)), redis: cpuSeconds(redisPid), postgres: databaseCpu(database.url), self: process.cpuUsage() };
    const start = performance.now();
    const load = await sendBatches(`http://127.0.0.1:${port}`, project.publicKey, bodies, clients);
    // With no worker, nothing is stored: the figure is the ingest node's own 202 rate, Redis only.
    const stored = workers === 0 ? null : await storedAtLeast(database.url, project.id, WARMUP_EVENTS + events);
    const storedSeconds = (performance.now() - start) / 1000;
    const self = process.cpuUsage(cpuBefore.self);
    const perEvent = (seconds: number) => Math.round((seconds * 1e6) / events);
    const used = running.map((p, i) => cpuSeconds(p.pid) - cpuBefore.processes[i]);
    const threads = splitThreadCpu(running[0].pid, cpuBefore.threads, threadCpuSeconds(running[0].pid), Number((workers === null ? undefined : ingestNodeThreads) ?? process.env.FAULTLINE_INGEST_THREADS ?? Math.max(1, availableParallelism() - 1)));
    const cpuUsPerEvent = {
      ingestNode: perEvent(used[0]),
      workers: perEvent(used.slice(1).reduce((a, b) => a + b, 0)),
      redis: perEvent(cpuSeconds(redisPid) - cpuBefore.redis),
      postgres: perEvent(cpuBefore.postgres.stop()),
      loadGenerator: perEvent((self.user + self.system) / 1e6),
      all: 0,
    };
    cpuUsPerEvent.all = cpuUsPerEvent.ingestNode + cpuUsPerEvent.workers + cpuUsPerEvent.redis + cpuUsPerEvent.postgres + cpuUsPerEvent.loadGenerator;
    if (sampler) clearInterval(sampler);
    return {
      setup,
      acceptedPerSecond: Math.round(load.accepted / load.seconds),
      storedPerSecond: stored ? Math.round(events / storedSeconds) : null,
      p95AcceptMs: load.requestMs.p95,
      p50AcceptMs: load.requestMs.p50,
      retries: load.retries,
      queueDepth: depth,
      complete: stored ? stored.events === WARMUP_EVENTS + events && stored.issueCountSum === WARMUP_EVENTS + events : null,
      cpuUsPerEvent,
      ingestNodeThreadsUsPerEvent: { main: perEvent(threads.main), ingestThreads: perEvent(threads.ingestThreads), other: perEvent(threads.other) },
    };
  } finally {
    for (const p of running.reverse()) await p.stop();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await database.drop();
  }
}

async function storedAtLeast(databaseUrl: string, projectId: number, n: number) {
  for (;;) {
    const stored = await storedCounts(databaseUrl, projectId);
    if (stored.events >= n) return stored;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function queueDepth(redis: Redis, prefix: string): Promise<number> {
  const key = `${prefix}:bq:ingest`;
  const [waiting, active, delayed] = await Promise.all([redis.llen(`${key}:waiting`), redis.llen(`${key}:active`), redis.zcard(`${key}:delayed`)]);
  return waiting + active + delayed;
}

function stringOption(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

const single = await runSetup('single process', null);
const others: Result[] = [];
if (setups.has('alone')) others.push(await runSetup('ingest node alone (queue only)', 0));
if (setups.has('1')) others.push(await runSetup('ingest node + 1 worker', 1));
if (setups.has('2')) others.push(await runSetup('ingest node + 2 workers', 2));
const flood = setups.has('flood') ? await runFlood({ redisUrl, floodEventsPerRequest: floodBatch, floodClients }) : undefined;
const ratio = (r: Result) => ({
  acceptedVsSingle: Math.round((r.acceptedPerSecond / single.acceptedPerSecond) * 100) / 100,
  storedVsSingle: r.storedPerSecond === null ? null : Math.round((r.storedPerSecond / single.storedPerSecond!) * 100) / 100,
});
process.stdout.write(
  `${JSON.stringify(
    { events, clients, batch, results: [single, ...others.map((r) => ({ ...r, ...ratio(r) }))], flood },
    null,
    2,
  )}\n`,
);
