/**
 * The Faultline under test, in its own process so the load generator's CPU and memory do not count.
 * Talks to its parent over IPC: sends `ready` with where it listens, `rss` samples, and on `stop`
 * a final report (peak RSS, SQL statement timings when FAULTLINE_BENCH_SQL_TIMING=1), then exits.
 */
import { readFileSync } from 'node:fs';
import { startPostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { benchScrubPlugins } from '../shared/scrub-plugin.js';
import { dropSearchIndexes, searchIndexOn } from '../shared/search-index.js';
import { timeSqlStatements, type StatementTiming } from '../shared/sql-timing.js';

export type ServerMessage =
  | { type: 'ready'; url: string; projectId: number; publicKey: string; secretToken: string; databaseUrl: string }
  | { type: 'rss'; rssMB: number; heapTotalMB: number; heapUsedMB: number; externalMB: number }
  | { type: 'stopped'; peakRssMB: number; sql: StatementTiming[] | null };

const send = (message: ServerMessage) => process.send?.(message);
const sqlReport = process.env.FAULTLINE_BENCH_SQL_TIMING === '1' ? timeSqlStatements() : null;

// BENCH_GROUP_COMMIT='{"maxSize":500,"concurrency":1}' tries other group-commit settings.
const searchIndex = searchIndexOn();
const server = await startPostgresTestServer(
  { rateLimitPerMinute: 0, batch: JSON.parse(process.env.BENCH_GROUP_COMMIT || '{}'), plugins: benchScrubPlugins(), scrubbing: process.env.BENCH_NO_SCRUBBING !== '1' },
  { searchIndex },
);
if (!searchIndex) await dropSearchIndexes(server.database.url);
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  send({ type: 'rss', rssMB: mb(m.rss), heapTotalMB: mb(m.heapTotal), heapUsedMB: mb(m.heapUsed), externalMB: mb(m.external) });
}, 100);

process.on('message', (message: { type?: string }) => {
  if (message?.type !== 'stop') return;
  clearInterval(sampler);
  void server.stop().finally(() => {
    const report: ServerMessage = { type: 'stopped', peakRssMB: peakRssMB(), sql: sqlReport?.() ?? null };
    process.send!(report, () => process.exit(0)); // a normal exit, so --cpu-prof writes its profile
  });
});
process.on('disconnect', () => process.exit(1)); // the parent died

send({
  type: 'ready',
  url: server.url,
  projectId: server.project.id,
  publicKey: server.project.publicKey,
  secretToken: server.project.secretToken,
  databaseUrl: server.database.url,
});

function mb(bytes: number): number {
  return Math.round((bytes / 1048576) * 10) / 10;
}

/** VmHWM: the kernel's peak resident set of this process, catching spikes between samples. */
function peakRssMB(): number {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : mb(process.memoryUsage().rss);
}
