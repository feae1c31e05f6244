import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { EventRecord } from '@faultline/core';
import { pruneScheduledRuns } from '../src/archive-queries.js';
import { ensurePartitions, partitionName } from '../src/partitions.js';
import { PostgresStorage } from '../src/index.js';
import { silentLogger } from '../src/silent-logger.js';
import { createHarness, groupedEvent, type Harness } from './helpers.js';

const DAY = 86_400_000;
/** A UTC day far enough back that partition upkeep never makes or touches it; each test takes its own. */
const pastDay = (n: number) => new Date(Date.UTC(2024, 0, 1) + n * DAY);

async function collect(iterable: AsyncIterable<EventRecord>): Promise<EventRecord[]> {
  const out: EventRecord[] = [];
  for await (const record of iterable) out.push(record);
  return out;
}

describe('storage for archives and schedules (Postgres)', function () {
  this.timeout(60_000);
  let h: Harness;
  let other: number;
  before(async () => {
    h = await createHarness();
    other = (await h.storage.createProject({ name: 'Other', slug: `other-${randomBytes(3).toString('hex')}` })).id;
  });
  after(async () => h?.close());

  it('streams a project\'s events in a range in (receivedAt, eventId) order, in chunks, bytes as stored', async () => {
    const day = pastDay(0);
    const events = Array.from({ length: 7 }, (_, i) => groupedEvent(h.projectId, `stream-${i % 2}`, { receivedAt: new Date(day.getTime() + (7 - i) * 60_000), message: `Grüße ${i} 東京` }));
    const foreign = groupedEvent(other, 'stream-other', { receivedAt: new Date(day.getTime() + 1000) });
    const outside = groupedEvent(h.projectId, 'stream-0', { receivedAt: new Date(day.getTime() + DAY) });
    await h.storage.storeBatch([...events, foreign, outside]);

    const records = await collect(h.storage.streamEvents(h.projectId, { from: day, to: new Date(day.getTime() + DAY) }, { batchSize: 3 }));
    const expected = [...events].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    expect(records.map((r) => r.eventId)).to.deep.equal(expected.map((e) => e.eventId));
    expect(records.map((r) => Buffer.from(r.payload).toString())).to.deep.equal(expected.map((e) => Buffer.from(e.payload).toString()));
    expect(records[0]).to.include({ projectId: h.projectId, level: 'error', receivedAt: expected[0].receivedAt });
    expect(records[0].issueId).to.match(/^\d+$/);
  });

  it('lists a project\'s days with exact rows and payload bytes, and every partition without a project', async () => {
    const day = pastDay(10);
    const events = [groupedEvent(h.projectId, 'ranges', { receivedAt: new Date(day.getTime() + 5000) }), groupedEvent(h.projectId, 'ranges', { receivedAt: new Date(day.getTime() + 6000) })];
    await h.storage.storeBatch(events);
    const mine = (await h.storage.listEventRanges({ projectId: h.projectId })).find((r) => r.from === day.toISOString());
    expect(mine).to.deep.equal({
      from: day.toISOString(),
      to: new Date(day.getTime() + DAY).toISOString(),
      rows: 2,
      bytes: events.reduce((sum, e) => sum + e.payload.byteLength, 0),
      partition: 'events_default',
    });
    const today = partitionName(new Date());
    const all = await h.storage.listEventRanges();
    expect(all.some((r) => r.partition === today && r.bytes > 0)).to.equal(true);
    expect(all.map((r) => r.from)).to.deep.equal([...all.map((r) => r.from)].sort());
  });

  it('drops one project\'s range, leaving other projects and its issues', async () => {
    const day = pastDay(20);
    const range = { from: day, to: new Date(day.getTime() + DAY) };
    const mine = groupedEvent(h.projectId, 'drop-mine', { receivedAt: new Date(day.getTime() + 1000) });
    const theirs = groupedEvent(other, 'drop-theirs', { receivedAt: new Date(day.getTime() + 2000) });
    const { stored } = await h.storage.storeBatch([mine, theirs]);
    expect(await h.storage.dropEvents({ ...range, projectId: h.projectId })).to.deep.equal({ events: 1 });
    expect(await collect(h.storage.streamEvents(h.projectId, range))).to.deep.equal([]);
    expect(await collect(h.storage.streamEvents(other, range))).to.have.length(1);
    expect(await h.storage.getIssue(stored[0].issueId)).to.include({ count: 1 });
  });

  it('drops a whole daily partition for every project, and restores the events idempotently', async () => {
    const day = pastDay(30);
    const range = { from: day, to: new Date(day.getTime() + DAY) };
    const events = [groupedEvent(h.projectId, 'restore', { receivedAt: new Date(day.getTime() + 1000) }), groupedEvent(other, 'restore', { receivedAt: new Date(day.getTime() + 2000) })];
    await h.storage.storeBatch(events);
    const client = await h.sql();
    await ensurePartitions(client, day, silentLogger(), { daysBehind: 0, daysAhead: 0 });
    const archived = await collect(h.storage.streamEvents(h.projectId, range));

    expect(await h.storage.dropEvents(range)).to.deep.equal({ events: 2 });
    const partitions = (await client.query('SELECT 1 FROM pg_class WHERE relname = $1', [partitionName(day)])).rowCount;
    expect(partitions).to.equal(0);

    expect(await h.storage.restoreEvents([...archived, ...archived])).to.deep.equal({ restored: 1, skipped: 1 });
    expect(await h.storage.restoreEvents(archived)).to.deep.equal({ restored: 0, skipped: 1 });
    const back = await collect(h.storage.streamEvents(h.projectId, range));
    expect(back).to.deep.equal(archived);
    expect(await h.storage.getEvent(archived[0].eventId, [h.projectId])).to.deep.include({ id: archived[0].eventId, issueId: archived[0].issueId });
    const { rows } = await client.query<{ part: string }>('SELECT tableoid::regclass::text AS part FROM events WHERE event_id = $1', [archived[0].eventId]);
    expect(rows[0].part).to.equal(partitionName(day));
    // A retried ingest of an archived event is still a duplicate.
    expect((await h.storage.storeBatch([events[0]])).duplicates).to.equal(1);
  });

  it('claims a schedule slot for exactly one of several storages on one database', async () => {
    const second = new PostgresStorage({ url: h.db.url });
    await second.connect();
    try {
      const slot = new Date().toISOString();
      const claims = await Promise.all([
        ...Array.from({ length: 5 }, () => h.storage.claimScheduledRun('digest', slot)),
        ...Array.from({ length: 5 }, () => second.claimScheduledRun('digest', slot)),
      ]);
      expect(claims.filter(Boolean)).to.have.length(1);
      expect(await second.claimScheduledRun('other-schedule', slot)).to.equal(true);

      const client = await h.sql();
      await client.query(`UPDATE scheduled_runs SET claimed_at = now() - interval '8 days' WHERE name = 'other-schedule'`);
      expect(await pruneScheduledRuns(client)).to.equal(1);
      const { rows } = await client.query<{ name: string }>('SELECT name FROM scheduled_runs ORDER BY name');
      expect(rows.map((r) => r.name)).to.deep.equal(['digest']);
    } finally {
      await second.close();
    }
  });
});
