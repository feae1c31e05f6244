/**
 * bench:ingest — end-to-end ingest throughput against the raw COPY rate of the same PostgreSQL.
 *   npm run bench:ingest -- [--events 100000] [--clients 8] [--issues 300] [--batch 100] [--profile] [--sql-timing] [--scrub-module] [--no-scrubbing]
 *   [--no-search-index]
 * Prints one JSON object on stdout; progress goes to stderr.
 */
import { mkdirSync } from 'node:fs';
import pg from 'pg';
import { flag, numberOption } from '../shared/args.js';
import { createEventGenerator } from '../shared/events.js';
import { sampleActivity } from '../shared/pg-activity.js';
import { postgresUsage, walBytes } from '../shared/postgres-usage.js';
import { cpuSeconds } from '../shared/proc.js';
import { startServerProcess } from '../shared/server-process.js';
import { progress } from '../shared/stats.js';
import { copyBaseline } from './copy-baseline.js';
import { databaseCpu } from '../shared/database-cpu.js';
import { sendBatches } from './load.js';
import { storedCounts } from './verify.js';

const events = numberOption('events', 'BENCH_EVENTS', 100_000);
// Each client waits for its 202 (a group commit), so fewer than ~8 leave the server idle between batches.
const clients = numberOption('clients', 'BENCH_CLIENTS', 8);
const issues = numberOption('issues', 'BENCH_ISSUES', 300);
const batch = numberOption('batch', 'BENCH_BATCH', 100);
// --scrub-module: the server runs a plugin whose ingest:scrub handler is an ingest module (scrub-plugin.ts).
const scrubModule = flag('scrub-module', 'BENCH_SCRUB_MODULE');
if (scrubModule) process.env.BENCH_SCRUB_MODULE = '1';
// --no-scrubbing: the server runs with core's scrubbing off (`scrubbing: false`), to measure what it costs.
const scrubbing = !flag('no-scrubbing', 'BENCH_NO_SCRUBBING');
if (!scrubbing) process.env.BENCH_NO_SCRUBBING = '1';
// --no-search-index: the same code with search indexing off (no search columns, no issue tags, and their
// indexes dropped in the bench database), to measure what indexing costs against a run without it.
const searchIndex = !flag('no-search-index', 'BENCH_NO_SEARCH_INDEX');
if (!searchIndex) process.env.BENCH_NO_SEARCH_INDEX = '1';
const profileDir = flag('profile', 'BENCH_PROFILE') ? new URL('../.profiles/', import.meta.url).pathname : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });

progress(`generating ${events} events (${issues} issues)`);
const nextEvent = createEventGenerator({ issues });
const payloads: { id: string; json: string }[] = [];
for (let i = 0; i < events; i++) {
  const event = nextEvent();
  payloads.push({ id: event.event_id as string, json: JSON.stringify(event) });
}
const bodies: Buffer[] = [];
for (let i = 0; i < payloads.length; i += batch) {
  bodies.push(Buffer.from(`{"events":[${payloads.slice(i, i + batch).map((p) => p.json).join(',')}]}`));
}
const eventBytesAvg = Math.round(payloads.reduce((sum, p) => sum + Buffer.byteLength(p.json), 0) / payloads.length);

progress('starting the server process');
const diagnose = flag('sql-timing', 'BENCH_SQL_TIMING');
const server = await startServerProcess({ cpuProfileDir: profileDir, sqlTiming: diagnose });
let stopped = false;
try {
  await checkpoint(server.databaseUrl);
  await new Promise((resolve) => setTimeout(resolve, 500)); // a few RSS samples of the idle server
  const rssIdleMB = server.maxRssMB();
  const memoryIdle = server.maxMemory();
  server.resetRss();
  const activity = diagnose ? await sampleActivity(server.databaseUrl) : null;
  const pgBefore = await postgresUsage(server.databaseUrl);
  const dbCpu = databaseCpu(server.databaseUrl);
  const cpuBefore = cpuSeconds(server.pid);
  progress(`sending ${bodies.length} batches of ${batch} from ${clients} clients`);
  const load = await sendBatches(server.url, server.publicKey, bodies, clients);
  const serverCpu = cpuSeconds(server.pid) - cpuBefore;
  const databaseCpuSeconds = dbCpu.stop();
  const rssMaxMB = server.maxRssMB();
  const memoryMax = server.maxMemory();
  const pgAfter = await postgresUsage(server.databaseUrl);
  const waits = await activity?.();

  const stored = await storedCounts(server.databaseUrl, server.projectId);
  const complete = stored.events === events && stored.eventIds === events && stored.issueCountSum === events && stored.hourlyCountSum === events;
  if (!complete) progress(`WARNING: stored counts do not match what was sent: ${JSON.stringify(stored)}`);

  progress('COPY baseline');
  let copyPgBefore = pgAfter;
  let copyPgAfter = pgAfter;
  const copy = await copyBaseline(
    server.databaseUrl,
    payloads,
    1000,
    async () => {
      copyPgBefore = await postgresUsage(server.databaseUrl);
    },
    async () => {
      copyPgAfter = await postgresUsage(server.databaseUrl); // before its backend exits and its CPU time with it
    },
  );
  if (copy.rows !== events) throw new Error(`COPY stored ${copy.rows} rows, not ${events}`);

  const final = await server.stop();
  stopped = true;
  const endToEndRate = events / load.seconds;
  const copyRate = events / copy.seconds;
  const result = {
    bench: 'ingest',
    events,
    eventBytesAvg,
    batchSize: batch,
    clients,
    scrubModule,
    scrubbing,
    searchIndex,
    endToEnd: {
      eventsPerSec: Math.round(endToEndRate),
      seconds: round(load.seconds),
      accepted: load.accepted,
      retries: load.retries,
      requestMs: load.requestMs,
      serverCpuSeconds: round(serverCpu),
      serverCpuPerEventUs: round((serverCpu / events) * 1e6),
      postgresCpuSeconds: round(pgAfter.cpuSeconds - pgBefore.cpuSeconds),
      // Only this run's database (its backends and autovacuum): the PostgreSQL server may be shared.
      databaseCpuSeconds,
      databaseCpuPerEventUs: round((databaseCpuSeconds / events) * 1e6),
      walMB: round(walBytes(pgBefore.walLsn, pgAfter.walLsn) / 1048576),
    },
    copyBaseline: { eventsPerSec: Math.round(copyRate), seconds: round(copy.seconds), table: '(project_id int, event_id text, received_at timestamptz, payload jsonb, pk(project_id, event_id))', rowsPerCopy: 1000,
      postgresCpuSeconds: round(copyPgAfter.cpuSeconds - copyPgBefore.cpuSeconds),
      walMB: round(walBytes(copyPgBefore.walLsn, copyPgAfter.walLsn) / 1048576),
    },
    ratio: round(endToEndRate / copyRate),
    rssMaxMB,
    rssIdleMB,
    rssPeakMB: final.peakRssMB,
    memoryMB: { idle: memoryIdle, underLoadMax: memoryMax },
    stored: { ...stored, complete },
    targets: { ratio: 0.9, rssMaxMB: 200, met: endToEndRate / copyRate >= 0.9 && rssMaxMB <= 200 },
    ...(final.sql ? { sqlStatements: final.sql.slice(0, 12) } : {}),
    ...(waits ? { databaseWaits: waits } : {}),
    ...(profileDir ? { cpuProfileDir: profileDir } : {}),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  if (!stopped) await server.stop().catch(() => undefined);
}

async function checkpoint(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('CHECKPOINT').finally(() => client.end());
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
