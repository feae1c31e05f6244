/**
 * bench:archive — archive and restore throughput between PostgreSQL and a real S3 protocol server
 * (s3rver on loopback), beside a plain COPY of the same rows in the same run.
 *   npm run bench:archive -- [--events 100000] [--payload 1000]
 * Prints one JSON object on stdout; progress goes to stderr.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { pino } from 'pino';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { EventRecord } from '@faultline/core';
import { resolveOptions, S3Archive } from '@faultline/plugin-archive-s3';
import { PostgresStorage } from '@faultline/plugin-storage-postgres';
import { createTestDatabase } from '@faultline/plugin-storage-postgres/testing';
import { startTestS3 } from '../../plugins/archive-s3/test/helpers.js';
import { numberOption } from '../shared/args.js';
import { progress } from '../shared/stats.js';

const events = numberOption('events', 'BENCH_EVENTS', 100_000);
const payloadBytes = numberOption('payload', 'BENCH_PAYLOAD', 1000);
const TARGETS = { archiveEventsPerSecond: 20_000, restoreEventsPerSecond: 10_000 };
const DAY = 86_400_000;
const day = new Date(Math.floor((Date.now() - 40 * DAY) / DAY) * DAY);
const range = { from: day, to: new Date(day.getTime() + DAY) };

const s3 = await startTestS3();
const db = await createTestDatabase();
const storage = new PostgresStorage({ url: db.url });
const sql = new pg.Client({ connectionString: db.url });
try {
  await storage.connect();
  await storage.migrate();
  await sql.connect();
  const projectId = (await storage.createProject({ name: 'Bench', slug: `bench-${randomBytes(3).toString('hex')}` })).id;

  progress(`seeding ${events} events of ~${payloadBytes} bytes`);
  const filler = randomBytes(Math.ceil(payloadBytes / 2)).toString('hex').slice(0, payloadBytes);
  for (let i = 0; i < events; i += 5000) {
    const chunk: EventRecord[] = [];
    for (let j = i; j < Math.min(events, i + 5000); j++) {
      const eventId = randomBytes(16).toString('hex');
      chunk.push({
        projectId,
        eventId,
        issueId: String(1 + (j % 500)),
        receivedAt: new Date(day.getTime() + Math.floor((j * DAY) / events)).toISOString(),
        timestamp: null,
        level: 'error',
        release: 'app@1.0.0',
        environment: 'production',
        payload: new TextEncoder().encode(JSON.stringify({ event_id: eventId, level: 'error', message: `Error ${j % 500}`, extra: { filler: filler.slice(j % 64) } })),
      });
    }
    await storage.restoreEvents(chunk);
  }
  await sql.query('VACUUM ANALYZE events');

  progress('COPY ... TO STDOUT of the same rows');
  let copyBytes = 0;
  const copyStart = performance.now();
  await pipeline(
    sql.query(copyTo(`COPY (SELECT * FROM events WHERE project_id = ${projectId} AND received_at >= '${range.from.toISOString()}' AND received_at < '${range.to.toISOString()}' ORDER BY received_at, event_id) TO STDOUT`)),
    new Writable({ write(chunk: Buffer, _enc, done) { copyBytes += chunk.length; done(); } }),
  );
  const copyOutSeconds = (performance.now() - copyStart) / 1000;

  const archive = new S3Archive(resolveOptions({ ...s3.options, prefix: 'bench' }), () => storage, pino({ level: 'silent' }));
  progress('archiving');
  const archiveStart = performance.now();
  const record = await archive.exportRange({ projectId, ...range });
  const archiveSeconds = (performance.now() - archiveStart) / 1000;
  if (record.events !== events) throw new Error(`archived ${record.events} of ${events}`);

  progress('dropping');
  const sizeBefore = await eventsSize(sql);
  const dropStart = performance.now();
  await storage.dropEvents(range);
  const dropSeconds = (performance.now() - dropStart) / 1000;
  const sizeAfter = await eventsSize(sql);

  progress('restoring');
  const restoreStart = performance.now();
  const restored = await archive.restore({ projectId, ...range });
  const restoreSeconds = (performance.now() - restoreStart) / 1000;
  if (restored.restored !== events) throw new Error(`restored ${restored.restored} of ${events}`);

  progress('COPY ... FROM STDIN of the same rows into a scratch table');
  await sql.query('CREATE TABLE bench_copy_in (LIKE events INCLUDING DEFAULTS)');
  const rows: string[] = [];
  await pipeline(
    sql.query(copyTo(`COPY (SELECT * FROM events WHERE project_id = ${projectId}) TO STDOUT`)),
    new Writable({ write(chunk: Buffer, _enc, done) { rows.push(chunk.toString('utf8')); done(); } }),
  );
  const copyInStart = performance.now();
  await pipeline(async function* () { yield* rows; }, sql.query(copyFrom('COPY bench_copy_in FROM STDIN')));
  const copyInSeconds = (performance.now() - copyInStart) / 1000;
  await archive.stop();

  const perSecond = (s: number) => Math.round(events / s);
  process.stdout.write(`${JSON.stringify({
    bench: 'archive',
    events,
    payloadBytes,
    archive: { eventsPerSecond: perSecond(archiveSeconds), seconds: round(archiveSeconds), gzipBytes: record.bytes, target: TARGETS.archiveEventsPerSecond },
    restore: { eventsPerSecond: perSecond(restoreSeconds), seconds: round(restoreSeconds), target: TARGETS.restoreEventsPerSecond },
    copyToStdout: { eventsPerSecond: perSecond(copyOutSeconds), seconds: round(copyOutSeconds), bytes: copyBytes },
    copyFromStdin: { eventsPerSecond: perSecond(copyInSeconds), seconds: round(copyInSeconds) },
    drop: { seconds: round(dropSeconds), eventsBytesBefore: sizeBefore, eventsBytesAfter: sizeAfter },
    meetsTargets: perSecond(archiveSeconds) >= TARGETS.archiveEventsPerSecond && perSecond(restoreSeconds) >= TARGETS.restoreEventsPerSecond,
  }, null, 2)}\n`);
} finally {
  await sql.end().catch(() => undefined);
  await storage.close();
  await db.drop();
  await s3.close();
}

async function eventsSize(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ bytes: string }>(`SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0) AS bytes FROM pg_inherits WHERE inhparent = 'events'::regclass`);
  return Number(rows[0].bytes);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
