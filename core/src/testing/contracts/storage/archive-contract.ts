import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { EventRecord, StorageProvider, TimeRange } from '../../../providers/storage.js';
import { groupedEvent, newFingerprint, type StorageContractContext } from './storage-fixtures.js';

const DAY = 86_400_000;

/** A UTC day no other case uses (years back, so only this case's events are in it). */
function lonelyDay(): number {
  const daysBack = 3650 + Math.floor(Math.random() * 3650);
  return Math.floor(Date.now() / DAY) * DAY - daysBack * DAY;
}

async function readAll(storage: StorageProvider, projectId: number, range: TimeRange, batchSize?: number): Promise<EventRecord[]> {
  const records: EventRecord[] = [];
  for await (const record of storage.streamEvents(projectId, range, batchSize ? { batchSize } : {})) records.push(record);
  return records;
}

/** What an archive needs: ranges that hold events, a range read out, dropped and restored. */
export function archiveContract(t: StorageContractContext): void {
  describe('archive reads and writes', () => {
    it('streams a project’s events in a range in (receivedAt, eventId) order, chunk after chunk', async () => {
      const storage = t.storage();
      const [projectId, other] = [await t.newProject(), await t.newProject()];
      const day = lonelyDay();
      const at = (minutes: number) => new Date(day + minutes * 60_000);
      const fingerprint = newFingerprint();
      const inRange = [1, 2, 2, 3, 4].map((m) => groupedEvent(projectId, fingerprint, { receivedAt: at(m), release: '1.0', level: 'warning' }));
      await storage.storeBatch([
        ...inRange,
        groupedEvent(projectId, fingerprint, { receivedAt: at(-1) }),
        groupedEvent(projectId, fingerprint, { receivedAt: at(60) }),
        groupedEvent(other, fingerprint, { receivedAt: at(2) }),
      ]);
      const records = await readAll(storage, projectId, { from: at(0), to: at(60) }, 2);
      const expected = [...inRange].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.eventId.localeCompare(b.eventId));
      assert.deepEqual(records.map((r) => r.eventId), expected.map((e) => e.eventId));
      const first = records[0];
      assert.equal(first.projectId, projectId);
      assert.equal(first.receivedAt, expected[0].receivedAt);
      assert.equal(first.level, 'warning');
      assert.equal(first.release, '1.0');
      assert.deepEqual(new TextDecoder().decode(first.payload), new TextDecoder().decode(expected[0].payload));
      assert.deepEqual(await readAll(storage, projectId, { from: at(5), to: at(6) }), []);
    });

    it('lists the days that hold a project’s events, with their rows and bytes', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const day = lonelyDay();
      const events = [groupedEvent(projectId, newFingerprint(), { receivedAt: new Date(day + 1000) }), groupedEvent(projectId, newFingerprint(), { receivedAt: new Date(day + DAY + 1000) }), groupedEvent(projectId, newFingerprint(), { receivedAt: new Date(day + DAY + 2000) })];
      await storage.storeBatch(events);
      const ranges = await storage.listEventRanges({ projectId });
      const bytes = (list: typeof events) => list.reduce((sum, e) => sum + e.payload.byteLength, 0);
      assert.deepEqual(
        ranges.map(({ from, to, rows, bytes }) => ({ from, to, rows, bytes })),
        [
          { from: new Date(day).toISOString(), to: new Date(day + DAY).toISOString(), rows: 1, bytes: bytes(events.slice(0, 1)) },
          { from: new Date(day + DAY).toISOString(), to: new Date(day + 2 * DAY).toISOString(), rows: 2, bytes: bytes(events.slice(1)) },
        ],
      );
      const all = await storage.listEventRanges();
      assert.ok(all.some((r) => r.from === new Date(day).toISOString() && r.rows >= 1), 'the day is among every project’s ranges');
    });

    it('drops a range but keeps the issue, its counts and the event ids, and restores it idempotently', async () => {
      const storage = t.storage();
      const [projectId, other] = [await t.newProject(), await t.newProject()];
      const day = lonelyDay();
      const fingerprint = newFingerprint();
      const events = [1, 2, 3].map((m) => groupedEvent(projectId, fingerprint, { receivedAt: new Date(day + m * 60_000) }));
      const neighbour = groupedEvent(other, fingerprint, { receivedAt: new Date(day + 60_000) });
      const { created } = await storage.storeBatch([...events, neighbour]);
      const issue = created.find((i) => i.projectId === projectId)!;
      const range = { from: new Date(day), to: new Date(day + DAY) };
      const archived = await readAll(storage, projectId, range);

      assert.deepEqual(await storage.dropEvents({ ...range, projectId }), { events: 3 });
      assert.deepEqual(await readAll(storage, projectId, range), []);
      assert.equal(await storage.getEvent(events[0].eventId, [projectId]), null);
      assert.equal((await storage.getEvent(neighbour.eventId, [other]))?.id, neighbour.eventId, 'another project’s events stay');
      assert.equal((await storage.getIssue(issue.id))?.count, 3, 'counts stay');
      const retry = await storage.storeBatch([events[0]]);
      assert.equal(retry.duplicates, 1, 'a dropped event id is still a duplicate');

      assert.deepEqual(await storage.restoreEvents(archived), { restored: 3, skipped: 0 });
      assert.deepEqual(await storage.restoreEvents(archived), { restored: 0, skipped: 3 });
      assert.deepEqual((await readAll(storage, projectId, range)).map((r) => r.eventId), archived.map((r) => r.eventId));
      const page = await storage.listIssueEvents(issue.id, { limit: 10 });
      assert.equal(page.data.length, 3);
      assert.equal((await storage.getIssue(issue.id))?.count, 3, 'restoring does not count again');

      assert.deepEqual(await storage.dropEvents(range), { events: 4 }, 'without a project: every project’s events in the range');
      assert.equal(await storage.getEvent(neighbour.eventId, [other]), null);
    });
  });
}
