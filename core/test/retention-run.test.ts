import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import { FileArchive, planRetention, runRetention, type ArchiveProvider } from '../src/index.js';
import { groupedEvent, MemoryStorage } from '../src/testing/index.js';

const DAY = 86_400_000;
const day = (n: number) => new Date(Date.UTC(2022, 0, 1) + n * DAY);

describe('retention run (memory storage, file archive)', () => {
  let dir: string;
  let storage: MemoryStorage;
  let archive: ArchiveProvider;
  const log = pino({ level: 'silent' });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-retention-run-'));
    storage = new MemoryStorage();
    archive = new FileArchive({ dir, storage: () => storage });
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('archives days past hot days before dropping them, and drops without archive when archive is off', async () => {
    const a = (await storage.createProject({ name: 'A', slug: 'a' })).id;
    const b = (await storage.createProject({ name: 'B', slug: 'b' })).id;
    await storage.setRetention(b, { hotDays: 10, archive: false, deleteAfterDays: 20, maxEvents: null });
    await storage.storeBatch([
      groupedEvent(a, 'fa', { receivedAt: new Date(day(0).getTime() + 1000) }),
      groupedEvent(a, 'fa', { receivedAt: new Date(day(25).getTime() + 1000) }),
      groupedEvent(b, 'fb', { receivedAt: new Date(day(1).getTime() + 1000) }),
    ]);
    const now = new Date(day(40).getTime());
    const plan = await planRetention(storage, archive, now);
    expect(plan.partitions.map((p) => [p.from.slice(0, 10), p.drop, p.projects.map((d) => d.action)])).to.deep.equal([
      ['2022-01-01', true, ['archive']],
      ['2022-01-02', true, ['expire']],
      ['2022-01-26', false, ['hot']],
    ]);
    const report = await runRetention({ storage, archive, log }, { now });
    expect(report).to.include({ archivesWritten: 1, eventsArchived: 1, partitionsDropped: 2, eventsDropped: 2 });
    expect((await storage.listEventRanges()).map((r) => r.from.slice(0, 10))).to.deep.equal(['2022-01-26']);
    expect((await archive.list()).map((r) => [r.projectId, r.from.slice(0, 10)])).to.deep.equal([[a, '2022-01-01']]);
  });

  it('without an archive, keeps days that should be archived until delete-after, then expires them', async () => {
    const a = (await storage.createProject({ name: 'A', slug: 'a' })).id;
    await storage.storeBatch([groupedEvent(a, 'fa', { receivedAt: new Date(day(0).getTime() + 1000) })]);
    const waiting = await runRetention({ storage, archive: null, log }, { now: day(40) });
    expect(waiting.partitionsDropped).to.equal(0);
    expect(waiting.plan.partitions[0].reason).to.equal(`project ${a} waits for an archive`);
    const expired = await runRetention({ storage, archive: null, log }, { now: day(91) });
    expect(expired.partitionsDropped).to.equal(1);
  });

  it('reports a failed export and does not drop that day; the next run finishes it', async () => {
    const a = (await storage.createProject({ name: 'A', slug: 'a' })).id;
    await storage.storeBatch([groupedEvent(a, 'fa', { receivedAt: new Date(day(0).getTime() + 1000) })]);
    let fail = true;
    const flaky: ArchiveProvider = {
      name: 'flaky',
      exportRange: (range) => (fail ? Promise.reject(new Error('store down')) : archive.exportRange(range)),
      list: (filter) => archive.list(filter),
      restore: (range) => archive.restore(range),
    };
    const first = await runRetention({ storage, archive: flaky, log }, { now: day(40) });
    expect(first.failures.map((f) => f.error)).to.deep.equal(['store down']);
    expect(await storage.listEventRanges()).to.have.length(1);
    fail = false;
    const second = await runRetention({ storage, archive: flaky, log }, { now: day(40) });
    expect(second.failures).to.deep.equal([]);
    expect(await storage.listEventRanges()).to.deep.equal([]);
    expect(await archive.list()).to.have.length(1);
  });
});
