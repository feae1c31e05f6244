/**
 * The Faultline under test for bench:sentry, in its own process so the load generator's CPU is not
 * counted as the server's. IPC: sends `ready`; answers `stats` with the stored and accepted counters;
 * on `stop` stops the server and exits.
 */
import { startPostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { benchScrubPlugins } from '../shared/scrub-plugin.js';
import { dropSearchIndexes, searchIndexOn } from '../shared/search-index.js';

export type SentryBenchMessage =
  | { type: 'ready'; url: string; databaseUrl: string; projectId: number; publicKey: string; secretToken: string }
  | { type: 'stats'; stored: number; batches: number; batchSeconds: number; accepted: Record<string, number>; rejected: number };

const server = await startPostgresTestServer(
  { rateLimitPerMinute: 0, batch: JSON.parse(process.env.BENCH_BATCH ?? '{}'), plugins: benchScrubPlugins(), scrubbing: process.env.BENCH_NO_SCRUBBING !== '1' },
  { searchIndex: searchIndexOn() },
);
if (!searchIndexOn()) await dropSearchIndexes(server.database.url);
const metrics = server.faultline.metrics;
const send = (m: SentryBenchMessage) => process.send?.(m);

process.on('message', async (message: { type?: string }) => {
  if (message?.type === 'stats') {
    const stored = (await metrics.eventsStored.get()).values.reduce((n, v) => n + v.value, 0);
    const accepted = Object.fromEntries((await metrics.eventsAccepted.get()).values.map((v) => [String(v.labels.route), v.value]));
    const rejected = (await metrics.eventsRejected.get()).values.reduce((n, v) => n + v.value, 0);
    const batches = (await metrics.batchSize.get()).values.find((v) => v.metricName === 'faultline_batch_size_count')?.value ?? 0;
    const batchSeconds = (await metrics.batchSeconds.get()).values.find((v) => v.metricName === 'faultline_batch_duration_seconds_sum')?.value ?? 0;
    send({ type: 'stats', stored, batches, batchSeconds, accepted, rejected });
  } else if (message?.type === 'stop') {
    await server.stop();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(1));

send({ type: 'ready', url: server.url, databaseUrl: server.database.url, projectId: server.project.id, publicKey: server.project.publicKey, secretToken: server.project.secretToken });
