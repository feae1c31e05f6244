import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import { createFaultline, definePlugin, FileArchive, type ArchiveProvider, type Faultline } from '../src/index.js';
import { groupedEvent, MemoryStorage, memoryStorage } from '../src/testing/index.js';

describe('the retention run is a jobs schedule', function () {
  this.timeout(20_000);
  let dir: string;
  let faultline: Faultline | null = null;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-retention-schedule-'));
  });
  afterEach(async () => {
    await faultline?.stop();
    faultline = null;
    await rm(dir, { recursive: true, force: true });
  });

  async function start(storage: MemoryStorage, retentionSchedule: { cron: string } | false, processEvents = true): Promise<ArchiveProvider> {
    let archive!: ArchiveProvider;
    faultline = await createFaultline({
      logger: pino({ level: 'silent' }),
      defaultMetrics: false,
      ingestThreads: 0,
      processEvents,
      retentionSchedule,
      plugins: [
        memoryStorage(storage),
        definePlugin({
          name: 'test-file-archive',
          core: '*',
          setup(ctx) {
            archive = new FileArchive({ dir, storage: () => ctx.need('storage') });
            ctx.provide('archive', archive);
          },
        }),
      ],
    });
    return archive;
  }

  async function oldEvent(storage: MemoryStorage): Promise<void> {
    const projectId = (await storage.createProject({ name: 'Old', slug: 'old' })).id;
    await storage.setRetention(projectId, { hotDays: 30, archive: true, deleteAfterDays: 3650, maxEvents: null });
    await storage.storeBatch([groupedEvent(projectId, 'old', { receivedAt: new Date(Date.now() - 100 * 86_400_000) })]);
  }

  it('fires on its cron on a processing node, archiving and dropping what is past hot days', async () => {
    const storage = new MemoryStorage();
    await oldEvent(storage);
    const archive = await start(storage, { cron: '* * * * * *' });
    for (let i = 0; i < 50 && (await archive.list()).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await archive.list()).map((a) => a.events)).to.deep.equal([1]);
    expect(await storage.listEventRanges()).to.deep.equal([]);
  });

  it('is not scheduled with retentionSchedule: false, nor on a node that does not process events', async () => {
    for (const [schedule, processEvents] of [[false, true], [{ cron: '* * * * * *' }, false]] as const) {
      const storage = new MemoryStorage();
      await oldEvent(storage);
      const archive = await start(storage, schedule, processEvents);
      await new Promise((resolve) => setTimeout(resolve, 2200)); // two slots of the cron above
      expect(await archive.list()).to.deep.equal([]);
      await faultline!.stop();
      faultline = null;
    }
  });
});
