import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import pg from 'pg';
import type { EventRecord } from '@faultline/core';
import { startPostgresTestServer as startTestServer, type PostgresTestServer as TestServer } from '@faultline/plugin-storage-postgres/testing';
import { archiveS3, type ExportStep } from '../src/index.js';
import { errorEvent, sendEvents, startTestS3, type TestS3 } from './helpers.js';

const DAY = 86_400_000;
const tsx = import.meta.resolve('tsx');
const killedRun = fileURLToPath(new URL('./fixtures/killed-run.ts', import.meta.url));
const utcDay = (t: number) => new Date(Math.floor(t / DAY) * DAY);

async function collect(iterable: AsyncIterable<EventRecord>): Promise<Array<Omit<EventRecord, 'payload'> & { payload: string }>> {
  const out = [];
  for await (const r of iterable) out.push({ ...r, payload: Buffer.from(r.payload).toString('utf8') });
  return out;
}

describe('@faultline/plugin-archive-s3 against a real S3 protocol server (s3rver)', function () {
  this.timeout(120_000);
  let s3: TestS3;
  let server: TestServer;
  let client: S3Client;
  let failAt: ExportStep | null;

  beforeEach(async () => {
    s3 = await startTestS3();
    failAt = null;
    client = new S3Client({ ...s3.options });
    server = await startTestServer({
      retentionSchedule: false,
      plugins: [archiveS3({
        ...s3.options,
        prefix: 'test',
        partSize: 5 * 1024 * 1024, // S3's smallest, so the large-day case needs only ~6 MB
        afterStep(step) {
          if (step === failAt) throw new Error(`stopped after ${step}`);
        },
      })],
    });
  });
  afterEach(async () => {
    client?.destroy();
    await server?.stop();
    await s3?.close();
  });

  const today = () => utcDay(Date.now());
  const todayRange = () => ({ from: today(), to: new Date(today().getTime() + DAY) });
  const later = () => new Date(Date.now() + 40 * DAY);

  async function ingest(n: number): Promise<void> {
    await sendEvents(server.url, server.project.publicKey, Array.from({ length: n }, (_, i) => errorEvent(i)));
    for (let tries = 0; tries < 100; tries++) {
      const rows = (await server.faultline.storage.listEventRanges({ projectId: server.project.id })).reduce((sum, r) => sum + r.rows, 0);
      if (rows >= n) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('events were not stored');
  }
  async function eventsSize(): Promise<number> {
    const sql = new pg.Client({ connectionString: server.database.url });
    await sql.connect();
    try {
      const { rows } = await sql.query<{ bytes: string }>(`SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0) AS bytes FROM pg_inherits WHERE inhparent = 'events'::regclass`);
      return Number(rows[0].bytes);
    } finally {
      await sql.end();
    }
  }
  async function keys(): Promise<string[]> {
    const page = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'test/' }));
    return (page.Contents ?? []).map((o) => o.Key!).sort();
  }
  /** A day 40 days back of ~9 MB of random base64 (it barely compresses): two 5 MiB parts. */
  async function largeDay(): Promise<{ projectId: number; from: Date; to: Date }> {
    const day = utcDay(Date.now() - 40 * DAY);
    const records: EventRecord[] = Array.from({ length: 120 }, (_, i) => ({
      projectId: server.project.id,
      eventId: randomBytes(16).toString('hex'),
      issueId: '1',
      receivedAt: new Date(day.getTime() + i * 1000).toISOString(),
      timestamp: null,
      level: 'error',
      release: null,
      environment: null,
      payload: new TextEncoder().encode(JSON.stringify({ blob: randomBytes(56_000).toString('base64') })),
    }));
    await server.faultline.storage.restoreEvents(records);
    return { projectId: server.project.id, from: day, to: new Date(day.getTime() + DAY) };
  }
  const stored = () => collect(server.faultline.storage.streamEvents(server.project.id, todayRange()));

  it('archives, verifies, drops the partition (its size falls) and restores byte-identical events, idempotently', async () => {
    await ingest(120);
    const before = await stored();
    expect(before).to.have.length(120);
    const sizeBefore = await eventsSize();

    const report = await server.faultline.retention.run({ now: later() });
    expect(report.failures).to.deep.equal([]);
    expect(report.eventsArchived).to.equal(120);
    expect(await stored()).to.deep.equal([]);
    expect(await eventsSize()).to.be.lessThan(sizeBefore);

    const [record] = await server.faultline.archive!.list({ projectId: server.project.id });
    expect(record).to.include({ projectId: server.project.id, events: 120, from: today().toISOString() });
    expect(record.location).to.equal(`s3://${s3.bucket}/test/${record.id}.ndjson.gz`);
    const manifest = JSON.parse(await (await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `test/${record.id}.manifest.json` }))).Body!.transformToString());
    expect(manifest).to.include({ events: 120, sha256: record.sha256, firstEventAt: before[0].receivedAt, lastEventAt: before.at(-1)!.receivedAt });

    expect(await server.faultline.archive!.restore({ projectId: server.project.id, ...todayRange() })).to.deep.equal({ restored: 120, skipped: 0, archives: 1 });
    expect(await stored()).to.deep.equal(before);
    expect(await server.faultline.archive!.restore({ projectId: server.project.id, ...todayRange() })).to.deep.equal({ restored: 0, skipped: 120, archives: 1 });
    expect(await stored()).to.deep.equal(before);
  });

  it('a run stopped between upload and drop keeps everything in PostgreSQL, and the next run finishes without duplicates', async () => {
    await ingest(30);
    const before = await stored();
    for (const step of ['uploaded', 'verified'] as const) {
      failAt = step;
      const stopped = await server.faultline.retention.run({ now: later() });
      expect(stopped.failures).to.have.length.greaterThan(0);
      expect(await stored()).to.deep.equal(before);
      expect(await server.faultline.archive!.list()).to.deep.equal([]); // no manifest: not an archive yet
    }
    failAt = null;
    const resumed = await server.faultline.retention.run({ now: later() });
    expect(resumed.failures).to.deep.equal([]);
    expect(await stored()).to.deep.equal([]);
    const archives = await server.faultline.archive!.list();
    expect(archives.map((a) => a.events)).to.deep.equal([30]);
    expect(await keys()).to.deep.equal([`test/${archives[0].id}.manifest.json`, `test/${archives[0].id}.ndjson.gz`]);
    expect((await server.faultline.retention.run({ now: later() })).eventsArchived).to.equal(0);
    await server.faultline.archive!.restore({ projectId: server.project.id, ...todayRange() });
    expect(await stored()).to.deep.equal(before);
  });

  it('a run SIGKILLed after its upload leaves PostgreSQL whole, and the next run resumes without a second copy', async () => {
    await ingest(20);
    const before = await stored();
    const child = spawn(process.execPath, ['--import', tsx, '--conditions=faultline-source', killedRun], {
      env: { ...process.env, DATABASE_URL: server.database.url, S3_OPTIONS: JSON.stringify({ ...s3.options, prefix: 'test' }), NOW: later().toISOString() },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, sig) => resolve(sig)));
    expect(signal).to.equal('SIGKILL');
    expect(out).to.equal('');
    expect(await stored()).to.deep.equal(before);
    expect(await server.faultline.archive!.list()).to.deep.equal([]);
    expect((await keys()).filter((k) => k.endsWith('.ndjson.gz'))).to.have.length(1); // uploaded, never verified

    const resumed = await server.faultline.retention.run({ now: later() });
    expect(resumed.failures).to.deep.equal([]);
    expect(resumed.eventsArchived).to.equal(20);
    expect(await stored()).to.deep.equal([]);
    const [record] = await server.faultline.archive!.list();
    expect(await keys()).to.deep.equal([`test/${record.id}.manifest.json`, `test/${record.id}.ndjson.gz`]);
    await server.faultline.archive!.restore({ projectId: server.project.id, ...todayRange() });
    expect(await stored()).to.deep.equal(before);
  });

  it('refuses to restore a corrupted object with a coded error, writing nothing back', async () => {
    await ingest(10);
    await server.faultline.retention.run({ now: later() });
    const [record] = await server.faultline.archive!.list();
    const key = `test/${record.id}.ndjson.gz`;
    const bytes = Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }))).Body!.transformToByteArray());
    bytes[bytes.length - 12] ^= 0xff;
    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: bytes }));
    const err = await server.faultline.archive!.restore({ projectId: server.project.id, ...todayRange() }).then(() => null, (e: unknown) => e);
    expect(err).to.include({ code: 'FAULTLINE_ERR_ARCHIVE_CORRUPT' });
    expect(await stored()).to.deep.equal([]);
  });

  it('removes archives past their project\'s delete-after days', async () => {
    await ingest(3);
    await server.faultline.retention.run({ now: later() });
    expect(await keys()).to.have.length(2);
    const report = await server.faultline.retention.run({ now: new Date(Date.now() + 91 * DAY) });
    expect(report.archivesRemoved).to.equal(1);
    expect(await keys()).to.deep.equal([]);
    expect(await server.faultline.archive!.list()).to.deep.equal([]);
  });

  it('uploads a large day in multipart parts and restores it exactly', async () => {
    const range = await largeDay();
    const before = await collect(server.faultline.storage.streamEvents(server.project.id, range));
    const record = await server.faultline.archive!.exportRange(range);
    expect(record.bytes).to.be.greaterThan(5 * 1024 * 1024);
    const key = `/${s3.bucket}/test/${record.id}.ndjson.gz`;
    const parts = s3.requests.filter((r) => r.startsWith(`PUT ${key}?`) && r.includes('partNumber='));
    expect(parts).to.have.length(2);
    expect(s3.requests.some((r) => r.startsWith(`POST ${key}?`) && r.includes('uploadId='))).to.equal(true);
    await server.faultline.storage.dropEvents(range);
    expect(await server.faultline.archive!.restore(range)).to.include({ restored: 120 });
    expect(await collect(server.faultline.storage.streamEvents(server.project.id, range))).to.deep.equal(before);
  });

  it('a store failing mid-upload fails that day only, keeps its events and releases the database read', async () => {
    // Larger than a part, so the upload fails with most of the day still unread.
    const range = await largeDay();
    s3.failWrites = true;
    const report = await server.faultline.retention.run({ now: later() });
    s3.failWrites = false;
    expect(report.failures.map((f) => f.error).join()).to.match(/S3 upload .* failed/);
    expect(await collect(server.faultline.storage.streamEvents(server.project.id, range))).to.have.length(120);
    const sql = new pg.Client({ connectionString: server.database.url });
    await sql.connect();
    try {
      const { rows } = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`);
      expect(Number(rows[0].n)).to.equal(0);
    } finally {
      await sql.end();
    }
    expect((await server.faultline.retention.run({ now: later() })).eventsArchived).to.equal(120);
  });

  it('an unreachable store is a coded error and nothing is dropped', async () => {
    await ingest(5);
    await s3.close();
    const err = await server.faultline.retention.run({ now: later() }).then(() => null, (e: unknown) => e);
    expect(err).to.include({ code: 'FAULTLINE_ERR_ARCHIVE_UNAVAILABLE' });
    expect(await stored()).to.have.length(5);
  });
});
