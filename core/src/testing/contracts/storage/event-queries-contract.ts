import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { decodePayload } from '../../../ingest/event-payload.js';
import type { StoredEvent } from '../../../providers/storage.js';
import { groupedEvent, newFingerprint, rejectionCode, type StorageContractContext } from './storage-fixtures.js';

const HOUR = 3_600_000;

/** An issue's events, one event by id within projects, and counts over time. */
export function eventQueriesContract(t: StorageContractContext): void {
  describe('events and stats', () => {
    it('lists an issue’s events newest first, page by page, with the payload as stored', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const fingerprint = newFingerprint();
      const events = Array.from({ length: 5 }, () => groupedEvent(projectId, fingerprint));
      const { created } = await storage.storeBatch(events);
      await storage.storeBatch([groupedEvent(projectId, newFingerprint())]);
      const seen: StoredEvent[] = [];
      let cursor: string | undefined;
      do {
        const page = await storage.listIssueEvents(created[0].id, { limit: 2, ...(cursor ? { cursor } : {}) });
        seen.push(...page.data);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      assert.deepEqual(seen.map((e) => e.id), events.map((e) => e.eventId).reverse());
      assert.deepEqual(seen[0].event, decodePayload(events[4].payload));
      assert.equal(seen[0].issueId, created[0].id);
      assert.equal(seen[0].projectId, projectId);
      assert.equal(seen[0].receivedAt, events[4].receivedAt);
      assert.deepEqual(await storage.listIssueEvents('9000000000000000000', { limit: 5 }), { data: [], nextCursor: null, prevCursor: null });
      assert.equal(await rejectionCode(storage.listIssueEvents(created[0].id, { limit: 5, cursor: 'bogus!' })), 'FAULTLINE_ERR_QUERY_CURSOR');
    });

    it('pages an issue’s events both ways, newest or oldest first: newest, older, newer, oldest', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const fingerprint = newFingerprint();
      const base = Date.now() - 60_000;
      // Two events share a received time: the event id breaks the tie, the same way in both orders.
      const events = [0, 1, 2, 2, 3].map((s) => groupedEvent(projectId, fingerprint, { receivedAt: new Date(base + s * 1000) }));
      const { created } = await storage.storeBatch(events);
      const issueId = created[0].id;
      const all = await storage.listIssueEvents(issueId, { limit: 10 });
      assert.equal(all.prevCursor, null, 'the first page has nothing before it');
      const newest = all.data.map((e) => e.id);
      assert.deepEqual(new Set(newest), new Set(events.map((e) => e.eventId)));
      const oldestFirst = await storage.listIssueEvents(issueId, { limit: 10, order: 'asc' });
      assert.deepEqual(oldestFirst.data.map((e) => e.id), [...newest].reverse(), 'asc is the exact reverse');
      assert.deepEqual([oldestFirst.nextCursor, oldestFirst.prevCursor], [null, null]);

      // One event at a time, as the issue page walks them.
      const walk = async (order: 'asc' | 'desc', steps: Array<'next' | 'prev'>) => {
        let page = await storage.listIssueEvents(issueId, { limit: 1, order });
        const seen = [page.data[0].id];
        for (const step of steps) {
          const cursor = step === 'next' ? page.nextCursor : page.prevCursor;
          assert.ok(cursor, `a ${step} cursor after ${seen.length} events`);
          page = await storage.listIssueEvents(issueId, { limit: 1, order, cursor });
          seen.push(page.data[0].id);
        }
        return { seen, page };
      };
      const older = await walk('desc', ['next', 'next', 'next', 'next']);
      assert.deepEqual(older.seen, newest);
      assert.equal(older.page.nextCursor, null, 'no older event after the oldest');
      const back = await walk('desc', ['next', 'next', 'next', 'prev', 'prev', 'prev']);
      assert.deepEqual(back.seen, [0, 1, 2, 3, 2, 1, 0].map((i) => newest[i]));
      assert.equal(back.page.prevCursor, null, 'reading back to the newest finds nothing newer');
      const fromOldest = await walk('asc', ['next', 'next', 'prev']);
      assert.deepEqual(fromOldest.seen, [4, 3, 2, 3].map((i) => newest[i]));

      // A page of several read back keeps the order asked for.
      const second = await storage.listIssueEvents(issueId, { limit: 2, cursor: (await storage.listIssueEvents(issueId, { limit: 3 })).nextCursor! });
      assert.deepEqual(second.data.map((e) => e.id), newest.slice(3, 5));
      const before = await storage.listIssueEvents(issueId, { limit: 2, cursor: second.prevCursor! });
      assert.deepEqual(before.data.map((e) => e.id), newest.slice(1, 3));
      assert.ok(before.prevCursor);
      assert.deepEqual((await storage.listIssueEvents(issueId, { limit: 2, cursor: before.nextCursor! })).data.map((e) => e.id), newest.slice(3, 5));

      const code = (query: object) => rejectionCode(storage.listIssueEvents(issueId, { limit: 1, ...query }));
      assert.equal(await code({ order: 'sideways' }), 'FAULTLINE_ERR_QUERY_INVALID');
      const newestFirstCursor = (await storage.listIssueEvents(issueId, { limit: 1 })).nextCursor;
      assert.equal(await code({ order: 'asc', cursor: newestFirstCursor }), 'FAULTLINE_ERR_QUERY_CURSOR', 'a cursor of the other order');
    });

    it('gets an event by id only within the projects asked for', async () => {
      const storage = t.storage();
      const [mine, theirs] = [await t.newProject(), await t.newProject()];
      const event = groupedEvent(mine, newFingerprint());
      await storage.storeBatch([event]);
      assert.equal((await storage.getEvent(event.eventId, [mine]))?.id, event.eventId);
      assert.equal((await storage.getEvent(event.eventId, null))?.projectId, mine);
      const dashed = event.eventId.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5').toUpperCase();
      assert.equal((await storage.getEvent(dashed, [mine]))?.id, event.eventId, 'a uuid in any case names the same event');
      assert.equal(await storage.getEvent(event.eventId, [theirs]), null);
      assert.equal(await storage.getEvent(event.eventId, []), null);
      assert.equal(await storage.getEvent('nope', null), null);
    });

    it('counts events per hour and per day, every bucket present, for a project or one issue', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const base = Math.floor(Date.now() / (24 * HOUR)) * 24 * HOUR - 24 * HOUR; // yesterday 00:00 UTC
      const at = (hours: number, minutes = 0) => new Date(base + hours * HOUR + minutes * 60_000);
      const [a, b] = [newFingerprint(), newFingerprint()];
      const { created } = await storage.storeBatch([
        groupedEvent(projectId, a, { receivedAt: at(1, 5) }),
        groupedEvent(projectId, a, { receivedAt: at(1, 50) }),
        groupedEvent(projectId, b, { receivedAt: at(3) }),
        groupedEvent(projectId, a, { receivedAt: at(25) }),
      ]);
      const issueA = created.find((i) => i.fingerprint === a)!.id;
      const hourly = await storage.eventStats(projectId, { since: at(0, 30), until: at(4), interval: 'hour' });
      assert.deepEqual(hourly, [0, 1, 2, 3].map((h) => ({ t: at(h).toISOString(), count: [0, 2, 0, 1][h] })));
      const daily = await storage.eventStats(projectId, { since: at(0), until: at(48), interval: 'day' });
      assert.deepEqual(daily, [{ t: at(0).toISOString(), count: 3 }, { t: at(24).toISOString(), count: 1 }]);
      const ofIssue = await storage.eventStats(projectId, { since: at(0), until: at(48), interval: 'day', issueId: issueA });
      assert.deepEqual(ofIssue.map((p) => p.count), [2, 1]);
      const code = (interval: string, since = at(0), until = at(4)) =>
        rejectionCode(storage.eventStats(projectId, { since, until, interval: interval as 'hour' }));
      assert.equal(await code('minute'), 'FAULTLINE_ERR_QUERY_INVALID');
      assert.equal(await code('hour', at(4), at(0)), 'FAULTLINE_ERR_QUERY_INVALID');
    });
  });
}
