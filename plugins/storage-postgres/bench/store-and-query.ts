/**
 * Measures (not a test): storeBatch throughput, and listIssues latency and plans at 50k issues.
 *   node --import tsx --conditions=faultline-source plugins/storage-postgres/bench/store-and-query.ts
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { GroupedEvent, IssueQuery } from '@faultline/core';
import { PostgresStorage } from '../src/index.js';
import { createTestDatabase } from '../src/testing/index.js';

const ISSUES = Number(process.env.BENCH_ISSUES ?? 50_000);
const levels = ['error', 'warning', 'fatal', 'info'] as const;
const words = ['TypeError', 'RangeError', 'timeout', 'database', 'checkout', 'payment', 'render', 'network', 'parse', 'cart'];
let clock = Date.now() - 3_600_000;

function event(projectId: number, fingerprint: string): GroupedEvent {
  const eventId = randomBytes(16).toString('hex');
  const n = parseInt(fingerprint.slice(-4), 16);
  const title = `${words[n % 10]}: failed to ${words[(n >> 3) % 10]} ${words[(n >> 6) % 10]} #${n}`;
  return {
    projectId, eventId, receivedAt: new Date((clock += 1)), fingerprint, groupingVersion: '1', userKey: `u${n % 997}`,
    meta: { title, culprit: `src/${words[n % 7]}.js in handler`, type: 'Error', value: title },
    event: {
      event_id: eventId, timestamp: new Date().toISOString(), level: levels[n % 4], platform: 'node', tags: {},
      release: `1.${n % 5}.0`, environment: n % 3 ? 'production' : 'staging',
      exception: { values: [{ type: 'Error', value: title, stacktrace: { frames: Array.from({ length: 10 }, (_, i) => ({ filename: `/srv/app/f${i}.js`, lineno: i, function: `fn${i}`, context_line: 'x'.repeat(120) })) } }] },
    },
  };
}

const db = await createTestDatabase();
const storage = new PostgresStorage({ url: db.url });
await storage.connect();
await storage.migrate();
const project = await storage.createProject({ name: 'Bench', slug: 'bench' });
const out: Record<string, unknown> = {};
try {
  // 1. storeBatch: batches of 1000 events over 50 fingerprints (a realistic hot set)
  const hot = Array.from({ length: 50 }, (_, i) => `hot${i.toString(16).padStart(4, '0')}`);
  const batches = Array.from({ length: 20 }, () => Array.from({ length: 1000 }, (_, i) => event(project.id, hot[i % 50])));
  let t = process.hrtime.bigint();
  for (const b of batches) await storage.storeBatch(b);
  out.storeBatch1000x50fp = { eventsPerSecond: Math.round(20_000 / (Number(process.hrtime.bigint() - t) / 1e9)) };

  // 2. fill to ISSUES distinct issues (1 event each, batches of 5000)
  t = process.hrtime.bigint();
  for (let i = 0; i < ISSUES; i += 5000) {
    await storage.storeBatch(Array.from({ length: Math.min(5000, ISSUES - i) }, (_, j) => event(project.id, `fp${(i + j).toString(16).padStart(6, '0')}`)));
  }
  out.storeBatch5000distinct = { eventsPerSecond: Math.round(ISSUES / (Number(process.hrtime.bigint() - t) / 1e9)) };
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await admin.query('ANALYZE');

  // 3. listIssues latency
  const queries: Record<string, Omit<IssueQuery, 'limit'>> = {
    lastSeen: { sort: 'last_seen' },
    count: { sort: 'count' },
    firstSeenUnresolved: { sort: 'first_seen', status: 'unresolved' },
    levelFatalEnvStaging: { sort: 'last_seen', level: 'fatal', environment: 'staging' },
    textSearch: { sort: 'last_seen', text: 'payment timeout' },
  };
  const latency: Record<string, unknown> = {};
  for (const [name, q] of Object.entries(queries)) {
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      let cursor: string | undefined;
      const start = process.hrtime.bigint();
      const page = await storage.listIssues(project.id, { ...q, limit: 50 });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      cursor = page.nextCursor ?? undefined;
      if (cursor && i % 2) {
        const s2 = process.hrtime.bigint();
        await storage.listIssues(project.id, { ...q, limit: 50, cursor });
        times.push(Number(process.hrtime.bigint() - s2) / 1e6);
      }
    }
    times.sort((a, b) => a - b);
    latency[name] = { p50Ms: +times[Math.floor(times.length * 0.5)].toFixed(2), p95Ms: +times[Math.floor(times.length * 0.95)].toFixed(2) };
  }
  out.listIssues50 = latency;

  // 4. plans
  const plan = async (sql: string, params: unknown[]) =>
    (await admin.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${sql}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n');
  out.planLastSeen = await plan(`SELECT id FROM issues WHERE project_id = $1 ORDER BY last_seen DESC, id DESC LIMIT 51`, [project.id]);
  out.planCountCursor = await plan(
    `SELECT id FROM issues WHERE project_id = $1 AND status = 'unresolved' AND (count, id) < (1::bigint, 20000::bigint) ORDER BY count DESC, id DESC LIMIT 51`, [project.id]);
  out.planText = await plan(
    `SELECT id FROM issues WHERE project_id = $1 AND search @@ websearch_to_tsquery('simple', $2) ORDER BY last_seen DESC, id DESC LIMIT 51`, [project.id, 'payment timeout']);
  await admin.end();
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
} finally {
  await storage.close();
  await db.drop();
}
