import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { FileArchive, planRetention, runRetention, type EventRecord, type RetentionDeps } from '@faultline/core';
import { createPartition, partitionName } from '../src/partitions.js';
import { silentLogger } from '../src/silent-logger.js';
import { createHarness, groupedEvent, type Harness } from './helpers.js';

const DAY = 86_400_000;
/** Days of 2023, far from today's partitions; each test takes its own. */
const oldDay = (n: number) => new Date(Date.UTC(2023, 0, 1) + n * DAY);

async function collect(iterable: AsyncIterable<EventRecord>): Promise<EventRecord[]> {
  const out: EventRecord[] = [];
  for await (const record of iterable) out.push(record);
  return out;
}

describe('retention on Postgres: archive, drop whole partitions, keep issues, prune event ids', function () {
  this.timeout(60_000);
  let h: Harness;
  let dir: string;
  let deps: RetentionDeps;
  before(async () => {
    h = await createHarness();
    dir = await mkdtemp(join(tmpdir(), 'faultline-retention-'));
    deps = { storage: h.storage, archive: new FileArchive({ dir, storage: () => h.storage }), log: silentLogger() };
  });
  after(async () => {
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function partitionExists(day: Date): Promise<boolean> {
    const { rowCount } = await (await h.sql()).query('SELECT 1 FROM pg_class WHERE relname = $1', [partitionName(day)]);
    return rowCount === 1;
  }
  /** Partition upkeep makes days around now; these tests' days get theirs here, as they would have had. */
  async function partitions(...days: Date[]): Promise<void> {
    for (const day of days) await createPartition(await h.sql(), day);
  }
  async function eventsSize(): Promise<number> {
    const { rows } = await (await h.sql()).query<{ bytes: string }>(
      `SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0) AS bytes FROM pg_inherits WHERE inhparent = 'events'::regclass`,
    );
    return Number(rows[0].bytes);
  }

  it('archives a day past hot days, then drops its partition; the disk is freed and issues keep their counts', async () => {
    const day = oldDay(0);
    await partitions(day);
    const events = Array.from({ length: 40 }, (_, i) => groupedEvent(h.projectId, 'retained', { receivedAt: new Date(day.getTime() + i * 1000), padding: 4000 }));
    await h.storage.storeBatch(events);
    const before = await h.storage.listEventRanges({ projectId: h.projectId });
    const stored = await collect(h.storage.streamEvents(h.projectId, { from: day, to: new Date(day.getTime() + DAY) }));
    const issue = (await h.storage.listIssues(h.projectId, { sort: 'last_seen', limit: 10 })).data.find((i) => i.fingerprint === 'retained')!;
    const sizeBefore = await eventsSize();

    const report = await runRetention(deps, { now: new Date(day.getTime() + 40 * DAY) });
    expect(report.failures).to.deep.equal([]);
    expect(report.eventsArchived).to.equal(40);
    expect(report.partitionsDropped).to.be.greaterThan(0);
    expect(await partitionExists(day)).to.equal(false);
    expect(await eventsSize()).to.be.lessThan(sizeBefore);
    expect(before.some((r) => r.from === day.toISOString())).to.equal(true);
    expect((await h.storage.listEventRanges({ projectId: h.projectId })).some((r) => r.from === day.toISOString())).to.equal(false);

    const after = await h.storage.getIssue(issue.id);
    expect(after).to.include({ count: issue.count, firstSeen: issue.firstSeen, lastSeen: issue.lastSeen });
    expect(await h.storage.getEvent(events[0].eventId, null)).to.equal(null);
    expect(await h.storage.findEventRef(events[0].eventId, null)).to.deep.equal({ projectId: h.projectId, eventId: events[0].eventId, receivedAt: events[0].receivedAt });

    // The same run again finds nothing to do; a restore brings the events back byte for byte.
    expect((await runRetention(deps, { now: new Date(day.getTime() + 40 * DAY) })).eventsArchived).to.equal(0);
    const restored = await deps.archive!.restore({ projectId: h.projectId, from: day, to: new Date(day.getTime() + DAY) });
    expect(restored).to.include({ restored: 40, skipped: 0 });
    const back = await collect(h.storage.streamEvents(h.projectId, { from: day, to: new Date(day.getTime() + DAY) }));
    expect(back.map((r) => ({ ...r, payload: Buffer.from(r.payload).toString() }))).to.deep.equal(stored.map((r) => ({ ...r, payload: Buffer.from(r.payload).toString() })));
  });

  it('keeps a partition while another project in it is still hot, and drops it once that project is done', async () => {
    const day = oldDay(100);
    await partitions(day);
    const keeper = (await h.storage.createProject({ name: 'Keeper', slug: `keeper-${Date.now()}` })).id;
    await h.storage.setRetention(keeper, { hotDays: 60, archive: false, deleteAfterDays: 60, maxEvents: null });
    await h.storage.storeBatch([
      groupedEvent(h.projectId, 'shared-a', { receivedAt: new Date(day.getTime() + 1000) }),
      groupedEvent(keeper, 'shared-b', { receivedAt: new Date(day.getTime() + 2000) }),
    ]);
    const early = await runRetention(deps, { now: new Date(day.getTime() + 40 * DAY) });
    const plan = early.plan.partitions.find((p) => p.partition === partitionName(day))!;
    expect(plan).to.include({ drop: false });
    expect(plan.reason).to.equal('holds events of a project inside its hot days'); // a run does not count hot days
    const status = await planRetention(h.storage, deps.archive, new Date(day.getTime() + 40 * DAY));
    expect(status.partitions.find((p) => p.partition === partitionName(day))!.reason).to.equal(`project ${keeper} is inside hot days`);
    expect(await partitionExists(day)).to.equal(true);

    const late = await runRetention(deps, { now: new Date(day.getTime() + 61 * DAY) });
    expect(late.failures).to.deep.equal([]);
    expect(await partitionExists(day)).to.equal(false);
    // The hot-days project was archived; the archive-off project's events expired without one.
    expect((await deps.archive!.list({ projectId: h.projectId })).some((a) => a.from === day.toISOString())).to.equal(true);
    expect((await deps.archive!.list({ projectId: keeper })).length).to.equal(0);
  });

  it('prunes event ids past delete-after days with the same clock, so the id is then unknown', async () => {
    const day = oldDay(200);
    await partitions(day);
    const event = groupedEvent(h.projectId, 'pruned', { receivedAt: new Date(day.getTime() + 1000) });
    await h.storage.storeBatch([event]);
    await runRetention(deps, { now: new Date(day.getTime() + 40 * DAY) });
    expect(await h.storage.findEventRef(event.eventId, null)).to.not.equal(null);
    const report = await runRetention(deps, { now: new Date(day.getTime() + 91 * DAY) });
    expect(report.eventIdsPruned).to.be.greaterThan(0);
    expect(await h.storage.findEventRef(event.eventId, null)).to.equal(null);
  });

  it('sends the oldest days of a project over its event cap out early, archived first', async () => {
    const capped = (await h.storage.createProject({ name: 'Capped', slug: `capped-${Date.now()}` })).id;
    await h.storage.setRetention(capped, { hotDays: 365, archive: true, deleteAfterDays: 400, maxEvents: 3 });
    const days = [oldDay(300), oldDay(301)];
    await partitions(...days);
    await h.storage.storeBatch(days.flatMap((d) => [0, 1, 2].map((i) => groupedEvent(capped, 'capped', { receivedAt: new Date(d.getTime() + i * 1000) }))));
    const report = await runRetention(deps, { now: new Date(days[1].getTime() + 5 * DAY) });
    expect(report.failures).to.deep.equal([]);
    expect(report.plan.capped.map((d) => d.from)).to.deep.equal([days[0].toISOString()]);
    const left = await h.storage.listEventRanges({ projectId: capped });
    expect(left.map((r) => [r.from, r.rows])).to.deep.equal([[days[1].toISOString(), 3]]);
    expect((await deps.archive!.list({ projectId: capped })).map((a) => a.events)).to.deep.equal([3]);
  });

  it('removes days parked in the default partition too (no partition was made for them), archived first', async () => {
    const day = oldDay(250); // no partition: its events land in events_default
    const events = [0, 1, 2].map((i) => groupedEvent(h.projectId, 'parked', { receivedAt: new Date(day.getTime() + i * 1000) }));
    await h.storage.storeBatch(events);
    const parked = async () => Number((await (await h.sql()).query<{ n: string }>('SELECT count(*) AS n FROM events_default WHERE received_at >= $1 AND received_at < $2', [day, new Date(day.getTime() + DAY)])).rows[0].n);
    expect(await parked()).to.equal(3);
    const report = await runRetention(deps, { now: new Date(day.getTime() + 40 * DAY) });
    expect(report.failures).to.deep.equal([]);
    expect(await parked()).to.equal(0);
    expect((await deps.archive!.list({ projectId: h.projectId })).find((a) => a.from === day.toISOString())).to.include({ events: 3 });
  });

  it('stores a policy per project, defaults when none was set', async () => {
    const fresh = (await h.storage.createProject({ name: 'Fresh', slug: `fresh-${Date.now()}` })).id;
    expect(await h.storage.getRetention(fresh)).to.deep.equal({ hotDays: 30, archive: true, deleteAfterDays: 90, maxEvents: null });
    const set = await h.storage.setRetention(fresh, { hotDays: 7, archive: false, deleteAfterDays: 14, maxEvents: 1000 });
    expect(set).to.deep.equal({ hotDays: 7, archive: false, deleteAfterDays: 14, maxEvents: 1000 });
    expect(await h.storage.getRetention(fresh)).to.deep.equal(set);
  });
});
