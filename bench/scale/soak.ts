/**
 * bench:scale:soak — the issue's fault run, too long for `npm test`: 20,000 events from 8 clients into an
 * ingest node and two workers on Redis and a PostgreSQL of its own (embedded, on a spare port), while a
 * worker is SIGKILLed twice and PostgreSQL is restarted once. Every acknowledged event must be stored
 * exactly once and every issue count exact; prints one JSON object and exits 1 if not.
 *   node --import tsx --conditions=faultline-source bench/scale/soak.ts [--events 20000] [--clients 8]
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { freePort } from '@faultline/plugin-storage-postgres/testing';
import { startEmbeddedPostgres, type RunningEmbeddedPostgres } from '../../plugins/storage-postgres/src/embedded-postgres.js';
import { expectedIssueCounts, sendLoad } from '../../plugins/queue-redis/test/helpers/clients.js';
import { readStored } from '../../plugins/queue-redis/test/helpers/database.js';
import { clearPrefix } from '../../plugins/queue-redis/test/helpers/redis.js';
import { numberOption } from '../shared/args.js';
import { progress } from '../shared/stats.js';
import { runFaultline, startFaultline, type Running } from './processes.js';

const events = numberOption('events', 'BENCH_EVENTS', 20_000);
const clients = numberOption('clients', 'BENCH_CLIENTS', 8);
const perRequest = 10;
const redisUrl = process.env.FAULTLINE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const dir = await mkdtemp(path.join(tmpdir(), 'faultline-soak-'));
await chmod(dir, 0o755); // the postgres system user must reach the data directory
const pgPort = await freePort();
const pgOptions = { dataDir: path.join(dir, 'data'), port: pgPort, database: 'postgres', log: pino({ level: 'silent' }) };
progress(`starting PostgreSQL on port ${pgPort}`);
let postgres: RunningEmbeddedPostgres = await startEmbeddedPostgres(pgOptions);
const prefix = `faultline-soak-${randomBytes(4).toString('hex')}`;
const config = path.join(dir, 'faultline.config.json');
await writeFile(config, JSON.stringify({ plugins: [['@faultline/plugin-queue-redis', { url: redisUrl, prefix, queue: { stallIntervalMs: 1000, retries: 20, retryDelayMs: 250 } }]] }));
const env = { FAULTLINE_DATABASE_URL: postgres.url, FAULTLINE_RATE_LIMIT_PER_MINUTE: '0' };
const running: Running[] = [];
let exitCode = 0;
try {
  const project = JSON.parse(await runFaultline(['--config', config, 'project', 'create', 'Soak', '--json'], env));
  const port = await freePort();
  running.push(await startFaultline(['--config', config, 'serve', '--no-process', '--port', String(port)], env, 'faultline listening'));
  const worker = async () => {
    const w = await startFaultline(['--config', config, 'worker'], env, 'faultline worker running');
    running.push(w);
    return w;
  };
  const workers = [await worker(), await worker()];
  const faults: Array<{ at: number; what: string; run: () => Promise<void> }> = [
    { at: 0.25, what: 'SIGKILL a worker', run: async () => void (await workers[0].kill(), workers.push(await worker())) },
    { at: 0.5, what: 'restart PostgreSQL', run: async () => void (await postgres.stop(), (postgres = await startEmbeddedPostgres(pgOptions))) },
    { at: 0.75, what: 'SIGKILL a worker', run: async () => void (await workers[1].kill(), workers.push(await worker())) },
  ];
  const happened: Promise<void>[] = [];
  const started = performance.now();
  progress(`sending ${events} events from ${clients} clients`);
  const load = await sendLoad({
    urls: () => [`http://127.0.0.1:${port}`],
    publicKey: project.publicKey,
    clients,
    requests: Math.ceil(events / perRequest),
    perRequest,
    onAcknowledged(total) {
      while (faults.length > 0 && total >= faults[0].at * events) {
        const fault = faults.shift()!;
        progress(`${total} acknowledged: ${fault.what}`);
        happened.push(fault.run());
      }
    },
  });
  await Promise.all(happened);
  const acknowledged = Object.values(load.acknowledged).reduce((a, b) => a + b, 0);
  progress(`all ${acknowledged} acknowledged; waiting for the workers`);
  let stored = await readStored(postgres.url, project.id);
  while (stored.events < acknowledged) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    stored = await readStored(postgres.url, project.id);
  }
  const exact = stored.events === acknowledged && stored.distinctEvents === acknowledged && sameCounts(stored.issueCounts, expectedIssueCounts(load));
  if (!exact) exitCode = 1;
  process.stdout.write(
    `${JSON.stringify({ events, clients, acknowledged, stored: stored.events, distinct: stored.distinctEvents, issueCountsExact: exact, retriedAnswers: load.retried, seconds: Math.round((performance.now() - started) / 100) / 10 }, null, 2)}\n`,
  );
} finally {
  for (const p of running.reverse()) await p.kill();
  await postgres.stop().catch(() => undefined);
  await clearPrefix(prefix, redisUrl);
  await rm(dir, { recursive: true, force: true });
}
process.exit(exitCode);

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const sorted = (r: Record<string, number>) => JSON.stringify(Object.entries(r).sort(([x], [y]) => x.localeCompare(y)));
  return sorted(a) === sorted(b);
}
