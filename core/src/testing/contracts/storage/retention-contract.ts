import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { DEFAULT_RETENTION } from '../../../providers/storage.js';
import { groupedEvent, newEventId, newFingerprint, type StorageContractContext } from './storage-fixtures.js';

const DAY = 86_400_000;

/** Retention: a policy per project, and event ids that outlive their events until pruned. */
export function retentionContract(t: StorageContractContext): void {
  describe('retention', () => {
    it('gives the defaults for a project without a policy, and keeps one per project', async () => {
      const storage = t.storage();
      const [a, b] = [await t.newProject(), await t.newProject()];
      assert.deepEqual(await storage.getRetention(a), { ...DEFAULT_RETENTION });
      const policy = { hotDays: 7, archive: false, deleteAfterDays: 30, maxEvents: 5000 };
      assert.deepEqual(await storage.setRetention(a, policy), policy);
      assert.deepEqual(await storage.getRetention(a), policy);
      assert.deepEqual(await storage.getRetention(b), { ...DEFAULT_RETENTION });
      const changed = { ...policy, maxEvents: null };
      assert.deepEqual(await storage.setRetention(a, changed), changed);
      assert.deepEqual(await storage.getRetention(a), changed);
    });

    it('lists only days that end by `before` when asked, so retention need not count hot days', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const day = Math.floor(Date.now() / DAY) * DAY - (6000 + Math.floor(Math.random() * 1000)) * DAY;
      await storage.storeBatch([0, 1, 2].map((n) => groupedEvent(projectId, newFingerprint(), { receivedAt: new Date(day + n * DAY + 1000) })));
      const days = (filter: { before?: Date }) => storage.listEventRanges({ projectId, ...filter }).then((ranges) => ranges.map((r) => r.from));
      assert.deepEqual(await days({}), [0, 1, 2].map((n) => new Date(day + n * DAY).toISOString()));
      assert.deepEqual(await days({ before: new Date(day + 2 * DAY + 5000) }), [0, 1].map((n) => new Date(day + n * DAY).toISOString()));
    });

    it('knows a dropped event’s id and time until its project’s ids are pruned, within the projects asked', async () => {
      const storage = t.storage();
      const [projectId, other] = [await t.newProject(), await t.newProject()];
      const day = Math.floor(Date.now() / DAY) * DAY - (4000 + Math.floor(Math.random() * 1000)) * DAY;
      const old = groupedEvent(projectId, newFingerprint(), { receivedAt: new Date(day + 1000) });
      const recent = groupedEvent(projectId, newFingerprint(), { receivedAt: new Date(day + 2 * DAY) });
      await storage.storeBatch([old, recent]);
      await storage.dropEvents({ projectId, from: new Date(day), to: new Date(day + DAY) });
      assert.equal(await storage.getEvent(old.eventId, [projectId]), null);
      assert.deepEqual(await storage.findEventRef(old.eventId, [projectId]), { projectId, eventId: old.eventId, receivedAt: old.receivedAt });
      assert.equal(await storage.findEventRef(old.eventId, [other]), null);
      assert.equal(await storage.findEventRef(newEventId(), null), null);

      assert.equal(await storage.pruneEventIds(other, new Date(day + DAY)), 0);
      assert.equal(await storage.pruneEventIds(projectId, new Date(day + DAY)), 1);
      assert.equal(await storage.findEventRef(old.eventId, null), null);
      assert.notEqual(await storage.findEventRef(recent.eventId, null), null);
      // A pruned id is new again: a retry is stored.
      const retried = await storage.storeBatch([{ ...old }]);
      assert.equal(retried.stored.length, 1);
    });
  });
}
