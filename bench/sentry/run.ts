/**
 * bench:sentry — Sentry-protocol ingest, one ~50 KB event per request, as SDKs send it: an envelope
 * without content type, the key in the query, gzipped as @sentry/node does above 32 KiB (and plain, as
 * @sentry/browser sends it). Beside it, the same server's native API (`POST /api/v1/events`, one event
 * of the same shape per request), measured in the same run. The rate is end to end: from the first
 * request until the last event is stored and grouped. Several concurrent keep-alive clients. Last, a
 * floor (floor-server.ts: node:http and JSON.parse alone) under the same load, so a rate can be read
 * against what this machine allows at all: `ofFloor`.
 *
 *   npm run bench:sentry -- [--events 12000] [--concurrency 32] [--issues 50] [--rounds 3] [--modes native,sentry_gzip,sentry_plain,floor] [--scrub-module] [--no-scrubbing] [--no-search-index]
 * Prints one JSON object on stdout. Not a test: nothing here asserts.
 */
import { fork } from 'node:child_process';
import { serverEntry } from '../shared/server-entry.js';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { gzipSync } from 'node:zlib';
import { createSdkEventGenerator } from './events.js';
import { openLoopbackConnections, type LoopbackConnection, type LoopbackRequest } from '../shared/loopback-http.js';
import type { SentryBenchMessage } from './server.js';
import { cpuSeconds } from '../shared/proc.js';
import { postgresUsage } from '../shared/postgres-usage.js';
import { flag } from '../shared/args.js';

const TARGET_EVENTS_PER_SEC = 1500;
const events = option('events', 12_000);
const concurrency = option('concurrency', 32);
const issues = option('issues', 50);
const roundCount = option('rounds', 3);
const warmup = Math.min(1000, Math.ceil(events / 10));
// --scrub-module: the server runs a plugin whose ingest:scrub handler is an ingest module (scrub-plugin.ts).
const scrubModule = flag('scrub-module', 'BENCH_SCRUB_MODULE');
if (scrubModule) process.env.BENCH_SCRUB_MODULE = '1';
// --no-scrubbing: the server runs with core's scrubbing off (`scrubbing: false`), to measure what it costs.
const scrubbing = !flag('no-scrubbing', 'BENCH_NO_SCRUBBING');
if (!scrubbing) process.env.BENCH_NO_SCRUBBING = '1';
// --no-search-index: no search columns, no issue tags, their indexes dropped (bench/shared/search-index.ts).
const searchIndex = !flag('no-search-index', 'BENCH_NO_SEARCH_INDEX');
if (!searchIndex) process.env.BENCH_NO_SEARCH_INDEX = '1';

type Ready = Extract<SentryBenchMessage, { type: 'ready' }>;
type Stats = Extract<SentryBenchMessage, { type: 'stats' }>;

const entry = await serverEntry(new URL('./server.ts', import.meta.url));
const child = fork(entry.script, [], {
  execArgv: entry.execArgv,
  stdio: ['ignore', 2, 2, 'ipc'],
});
const ready = await new Promise<Ready>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  child.on('message', (m: SentryBenchMessage) => m.type === 'ready' && resolve(m));
});
const stats = () =>
  new Promise<Stats>((resolve) => {
    const onMessage = (m: SentryBenchMessage) => {
      if (m.type !== 'stats') return;
      child.off('message', onMessage);
      resolve(m);
    };
    child.on('message', onMessage);
    child.send({ type: 'stats' });
  });

const base = new URL(ready.url);
const clients = await openLoopbackConnections(base, concurrency);

const FLOOR_DESCRIBE = 'reference, not Faultline: node:http reads each plain envelope, one worker thread JSON.parses its event, 200 {"id"}; nothing validated or stored';
const floor = await (async () => {
  const floorEntry = await serverEntry(new URL('./floor-server.ts', import.meta.url));
  const floorChild = fork(floorEntry.script, [], { execArgv: floorEntry.execArgv, stdio: ['ignore', 2, 2, 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    floorChild.once('exit', (code) => reject(new Error(`floor server exited with ${code}`)));
    floorChild.once('message', (m) => resolve(m as number));
  });
  return { child: floorChild, clients: await openLoopbackConnections(new URL(`http://127.0.0.1:${port}/`), concurrency) };
})();
const nextEvent = createSdkEventGenerator({ issues });
const sample = JSON.stringify(nextEvent());
const envelopePath = `${base.pathname}/api/${ready.projectId}/envelope/?sentry_version=7&sentry_key=${ready.publicKey}&sentry_client=sentry.javascript.node%2F11.11.0`;

function envelope(event: Record<string, unknown> & { event_id: string }): string {
  const header = { event_id: event.event_id, sent_at: new Date().toISOString(), sdk: { name: 'sentry.javascript.node', version: '11.11.0' } };
  return `${JSON.stringify(header)}\n{"type":"event"}\n${JSON.stringify(event)}`; // no trailing newline, no item length: as the SDK
}

/**
 * Bodies cost the client CPU this 2-core machine shares with the server, so they are prepared up front:
 * a pool of serialized templates whose event ids are patched in place per request (a Buffer copy), and,
 * since a gzip stream cannot be patched, one gzipped envelope per request made before timing starts.
 */
const TEMPLATES = 200;

function patchedPool(serialize: (event: Record<string, unknown> & { event_id: string }) => string): () => Buffer {
  const templates = Array.from({ length: TEMPLATES }, () => {
    const event = nextEvent();
    const bytes = Buffer.from(serialize(event));
    const offsets: number[] = [];
    for (let at = bytes.indexOf(event.event_id); at >= 0; at = bytes.indexOf(event.event_id, at + 1)) offsets.push(at);
    return { bytes, offsets };
  });
  let i = 0;
  return () => {
    const t = templates[i++ % templates.length];
    const body = Buffer.from(t.bytes);
    const id = randomBytes(16).toString('hex');
    for (const at of t.offsets) body.write(id, at, 'latin1');
    return body;
  };
}

const modes: Record<string, { describe: string; prepare(count: number): () => LoopbackRequest }> = {
  native: {
    describe: 'POST /api/v1/events, one event per request, application/json',
    prepare() {
      const next = patchedPool((e) => JSON.stringify(e));
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${ready.publicKey}` };
      return () => ({ path: `${base.pathname}/api/v1/events`, headers, body: next() });
    },
  },
  sentry_gzip: {
    describe: 'POST /api/:id/envelope/, gzipped as @sentry/node sends bodies over 32 KiB, no content type',
    prepare(count) {
      const bodies = Array.from({ length: count }, () => gzipSync(envelope(nextEvent())));
      let i = 0;
      return () => ({ path: envelopePath, headers: { 'content-encoding': 'gzip' }, body: bodies[i++] });
    },
  },
  sentry_plain: {
    describe: 'POST /api/:id/envelope/, uncompressed as @sentry/browser sends, no content type',
    prepare() {
      const next = patchedPool(envelope);
      return () => ({ path: envelopePath, headers: {}, body: next() });
    },
  },
};

async function stored(): Promise<number> {
  return (await stats()).stored;
}


async function phase(name: string, count: number) {
  const mode = modes[name];
  const make = mode.prepare(count);
  const before = await stats();
  const storedBefore = before.stored;
  const cpuBefore = { server: cpuSeconds(child.pid!), client: process.cpuUsage(), postgres: (await postgresUsage(ready.databaseUrl)).cpuSeconds };
  const started = performance.now();
  const { latencies, statuses } = await drive(clients.connections, count, make);
  const answered = performance.now();
  const ok = (statuses[200] ?? 0) + (statuses[202] ?? 0);
  let now = await stored();
  while (now < storedBefore + ok) {
    await new Promise((r) => setTimeout(r, 10));
    now = await stored();
  }
  const done = performance.now();
  const after = await stats();
  const batches = after.batches - before.batches;
  const batchMs = ((after.batchSeconds - before.batchSeconds) * 1000) / Math.max(1, batches);
  const client = process.cpuUsage(cpuBefore.client);
  const cpuSec = {
    server: cpuSeconds(child.pid!) - cpuBefore.server,
    client: (client.user + client.system) / 1e6,
    postgres: (await postgresUsage(ready.databaseUrl)).cpuSeconds - cpuBefore.postgres,
  };
  const perEvent = (sec: number) => round((sec * 1000) / count);
  return {
    describe: mode.describe,
    events: count,
    statuses,
    eventsPerSec: Math.round((ok / (done - started)) * 1000),
    answeredPerSec: Math.round((count / (answered - started)) * 1000),
    latencyMs: latencyPercentiles(latencies),
    storeLagMs: Math.round(done - answered),
    // Where the machine's CPU went, per event: the server process, this load generator, every postgres process.
    cpuMsPerEvent: { server: perEvent(cpuSec.server), client: perEvent(cpuSec.client), postgres: perEvent(cpuSec.postgres) },
    eventsPerBatch: round(ok / Math.max(1, batches)),
    // Mean time a batch takes to store and commit; batches commit two at a time.
    batchMs: round(batchMs),
    coresBusy: round((cpuSec.server + cpuSec.client + cpuSec.postgres) / ((done - started) / 1000)),
    ok,
    ms: done - started,
  };
}

/** Sends `count` requests over the connections, each one request at a time; latencies and statuses. */
async function drive(connections: LoopbackConnection[], count: number, make: () => LoopbackRequest) {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let issued = 0;
  await Promise.all(
    connections.map(async (connection) => {
      while (issued < count) {
        issued++;
        const req = make();
        const t = performance.now();
        const status = await connection.send(req);
        latencies.push(performance.now() - t);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { latencies, statuses };
}

/** The floor (floor-server.ts) under the same load as `sentry_plain`: answered is done, nothing is stored. */
async function floorPhase(count: number) {
  const next = patchedPool(envelope);
  const make = () => ({ path: '/', headers: {}, body: next() });
  const cpuBefore = { server: cpuSeconds(floor.child.pid!), client: process.cpuUsage() };
  const started = performance.now();
  const { latencies, statuses } = await drive(floor.clients.connections, count, make);
  const ms = performance.now() - started;
  const client = process.cpuUsage(cpuBefore.client);
  const perEvent = (sec: number) => round((sec * 1000) / count);
  return {
    describe: FLOOR_DESCRIBE,
    events: count,
    statuses,
    eventsPerSec: Math.round((count / ms) * 1000),
    answeredPerSec: Math.round((count / ms) * 1000),
    latencyMs: latencyPercentiles(latencies),
    storeLagMs: 0,
    cpuMsPerEvent: { server: perEvent(cpuSeconds(floor.child.pid!) - cpuBefore.server), client: perEvent((client.user + client.system) / 1e6), postgres: 0 },
    eventsPerBatch: 0,
    batchMs: 0,
    coresBusy: round((cpuSeconds(floor.child.pid!) - cpuBefore.server + (client.user + client.system) / 1e6) / (ms / 1000)),
    ok: statuses[200] ?? 0,
    ms,
  };
}

function latencyPercentiles(sorted: number[]) {
  const pct = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
  return { p50: pct(50), p90: pct(90), p99: pct(99), max: round(sorted[sorted.length - 1]) };
}

const chosen = (() => {
  const i = process.argv.indexOf('--modes');
  const known = [...Object.keys(modes), 'floor'];
  const names = i >= 0 ? process.argv[i + 1].split(',') : known;
  for (const name of names) if (!known.includes(name)) throw new Error(`--modes: unknown mode "${name}" (known: ${known.join(', ')})`);
  return names;
})();

try {
  const run = (name: string, count: number) => (name === 'floor' ? floorPhase(count) : phase(name, count));
  for (const name of chosen) await run(name, warmup);
  // Modes take turns, round after round, so a slow spell of this shared machine hits them alike.
  const rounds: Record<string, Awaited<ReturnType<typeof phase>>[]> = {};
  for (let r = 0; r < roundCount; r++) {
    for (const name of chosen) (rounds[name] ??= []).push(await run(name, Math.ceil(events / roundCount)));
  }
  const results = Object.fromEntries(Object.entries(rounds).map(([name, list]) => [name, summarize(list)]));
  const final = await stats();
  const rate = (name: string) => results[name]?.eventsPerSec;
  const sentryRates = ['sentry_gzip', 'sentry_plain'].map(rate).filter((r): r is number => r !== undefined);
  process.stdout.write(
    `${JSON.stringify(
      {
        bench: 'sentry',
        machine: { cpus: cpus().length, node: process.version },
        eventBytes: Buffer.byteLength(sample),
        gzippedEnvelopeBytes: gzipSync(sample).length,
        concurrency,
        issues,
        scrubModule,
        scrubbing,
        searchIndex,
        results,
        sentryVsNative: rate('native') && sentryRates.length ? round(Math.min(...sentryRates) / rate('native')!) : null,
        // What share of the floor's rate each mode reaches, and what share of it the target asks for.
        ofFloor: rate('floor')
          ? { ...Object.fromEntries(chosen.filter((n) => n !== 'floor').map((n) => [n, round(rate(n)! / rate('floor')!)])), target: round(TARGET_EVENTS_PER_SEC / rate('floor')!) }
          : null,
        rounds: roundCount,
        target: { eventsPerSec: TARGET_EVENTS_PER_SEC, met: sentryRates.length > 0 && sentryRates.every((r) => r >= TARGET_EVENTS_PER_SEC) },
        server: { accepted: final.accepted, rejected: final.rejected, stored: final.stored },
      },
      null,
      2,
    )}\n`,
  );
} finally {
  clients.close();
  floor.clients.close();
  floor.child.kill();
  child.send({ type: 'stop' });
  await new Promise((resolve) => child.once('exit', resolve));
}

/** One mode's rounds: the overall rate (all events over all its time) and each round's. */
function summarize(list: Awaited<ReturnType<typeof phase>>[]) {
  const ok = list.reduce((n, p) => n + p.ok, 0);
  const ms = list.reduce((n, p) => n + p.ms, 0);
  const statuses: Record<number, number> = {};
  for (const p of list) for (const [s, n] of Object.entries(p.statuses)) statuses[Number(s)] = (statuses[Number(s)] ?? 0) + n;
  return {
    describe: list[0].describe,
    events: list.reduce((n, p) => n + p.events, 0),
    statuses,
    eventsPerSec: Math.round((ok / ms) * 1000),
    roundsEventsPerSec: list.map((p) => p.eventsPerSec),
    latencyMsLastRound: list[list.length - 1].latencyMs,
    storeLagMsMax: Math.max(...list.map((p) => p.storeLagMs)),
    cpuMsPerEventLastRound: list[list.length - 1].cpuMsPerEvent,
    coresBusyLastRound: list[list.length - 1].coresBusy,
    eventsPerBatchLastRound: list[list.length - 1].eventsPerBatch,
    batchMsLastRound: list[list.length - 1].batchMs,
  };
}

function option(name: string, fallback: number): number {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  const raw = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number, not "${raw}"`);
  return n;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
