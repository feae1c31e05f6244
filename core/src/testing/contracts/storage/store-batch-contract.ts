import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { groupedEvent, newEventId, newFingerprint, rejectionCode, type StorageContractContext } from './storage-fixtures.js';

/** storeBatch: idempotent by (project, event id), one issue per (project, fingerprint), exact counts, regressions. */
export function storeBatchContract(t: StorageContractContext): void {
  describe('storeBatch', () => {
    it('groups a batch into one issue per fingerprint with exact counts', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const [a, b] = [newFingerprint(), newFingerprint()];
      const events = [groupedEvent(projectId, a), groupedEvent(projectId, b), groupedEvent(projectId, a), groupedEvent(projectId, a)];
      const result = await storage.storeBatch(events);
      assert.equal(result.duplicates, 0);
      assert.deepEqual(result.stored.map((s) => s.eventId), events.map((e) => e.eventId), 'stored in the caller order');
      assert.equal(result.created.length, 2);
      const issueA = result.created.find((i) => i.fingerprint === a)!;
      const issueB = result.created.find((i) => i.fingerprint === b)!;
      assert.equal(issueA.count, 3);
      assert.equal(issueB.count, 1);
      assert.equal(issueA.status, 'unresolved');
      assert.equal(issueA.firstSeen, events[0].receivedAt);
      assert.equal(issueA.lastSeen, events[3].receivedAt);
      assert.deepEqual(result.stored.map((s) => s.issueId), [issueA.id, issueB.id, issueA.id, issueA.id]);
      assert.deepEqual(await storage.getIssue(issueA.id), issueA);
      assert.deepEqual(result.regressed, []);
    });

    it('stores a retried batch once: nothing is counted twice', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const fingerprint = newFingerprint();
      const events = [groupedEvent(projectId, fingerprint, { userKey: 'u1' }), groupedEvent(projectId, fingerprint, { userKey: 'u2' })];
      const first = await storage.storeBatch(events);
      const retry = await storage.storeBatch(events);
      assert.deepEqual(retry, { stored: [], duplicates: 2, created: [], regressed: [] });
      const issue = await storage.getIssue(first.created[0].id);
      assert.equal(issue?.count, 2);
      assert.equal(issue?.userCount, 2);
      const page = await storage.listIssueEvents(first.created[0].id, { limit: 10 });
      assert.equal(page.data.length, 2);
    });

    it('counts an event repeated within a batch once, and the same id in two projects twice', async () => {
      const storage = t.storage();
      const [p1, p2] = [await t.newProject(), await t.newProject()];
      const fingerprint = newFingerprint();
      const eventId = newEventId();
      const result = await storage.storeBatch([
        groupedEvent(p1, fingerprint, { eventId }),
        groupedEvent(p1, fingerprint, { eventId }),
        groupedEvent(p2, fingerprint, { eventId }),
      ]);
      assert.equal(result.duplicates, 1);
      assert.equal(result.stored.length, 2);
      assert.deepEqual(result.created.map((i) => [i.projectId, i.count]).sort(), [[p1, 1], [p2, 1]].sort());
    });

    it('adds later batches to the issue: counts, users and the latest event fields', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const fingerprint = newFingerprint();
      const first = await storage.storeBatch([
        groupedEvent(projectId, fingerprint, { userKey: 'alice', release: '1.0', environment: 'staging', level: 'warning', title: 'First title' }),
        groupedEvent(projectId, fingerprint, { userKey: null }),
      ]);
      const aliceAgain = groupedEvent(projectId, fingerprint, { userKey: 'alice' });
      const last = groupedEvent(projectId, fingerprint, { userKey: 'bob', release: '2.0', environment: 'production', level: 'fatal', title: 'Later title' });
      const second = await storage.storeBatch([last, aliceAgain]);
      assert.deepEqual(second.created, []);
      const issue = (await storage.getIssue(first.created[0].id))!;
      assert.equal(issue.count, 4);
      assert.equal(issue.userCount, 2, 'alice twice and bob; an event without a user is not a user');
      assert.equal(issue.title, 'First title', 'the title stays the first event’s');
      assert.equal(issue.level, 'fatal');
      assert.equal(issue.release, '2.0');
      assert.equal(issue.environment, 'production');
      assert.equal(issue.lastSeen, last.receivedAt);
      assert.equal(issue.firstSeen, first.created[0].firstSeen);
    });

    it('reopens a resolved issue and reports it as regressed; an ignored one stays ignored', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const [resolved, ignored] = [newFingerprint(), newFingerprint()];
      const { created } = await storage.storeBatch([groupedEvent(projectId, resolved), groupedEvent(projectId, ignored)]);
      const byFingerprint = (f: string) => created.find((i) => i.fingerprint === f)!.id;
      assert.equal((await storage.updateIssue(byFingerprint(resolved), { status: 'resolved' }))?.status, 'resolved');
      await storage.updateIssue(byFingerprint(ignored), { status: 'ignored' });
      const result = await storage.storeBatch([groupedEvent(projectId, resolved), groupedEvent(projectId, ignored)]);
      assert.deepEqual(result.regressed.map((i) => [i.id, i.status, i.count]), [[byFingerprint(resolved), 'unresolved', 2]]);
      assert.equal((await storage.getIssue(byFingerprint(ignored)))?.status, 'ignored');
      const again = await storage.storeBatch([groupedEvent(projectId, resolved)]);
      assert.deepEqual(again.regressed, [], 'an issue regresses once per resolve');
    });

    it('keeps counts exact under concurrent batches of one fingerprint', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const fingerprint = newFingerprint();
      const batches = Array.from({ length: 6 }, (_, n) =>
        Array.from({ length: 5 }, () => groupedEvent(projectId, fingerprint, { userKey: `user-${n}` })),
      );
      const results = await Promise.all(batches.map((batch) => storage.storeBatch(batch)));
      const created = results.flatMap((r) => r.created);
      assert.equal(created.length, 1, 'one issue per fingerprint');
      const issue = (await storage.getIssue(created[0].id))!;
      assert.equal(issue.count, 30);
      assert.equal(issue.userCount, 6);
    });

    it('refuses a batch with an invalid event id and stores none of it', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const fingerprint = newFingerprint();
      const good = groupedEvent(projectId, fingerprint);
      const bad = { ...groupedEvent(projectId, fingerprint), eventId: 'not-an-id' };
      assert.equal(await rejectionCode(storage.storeBatch([good, bad])), 'FAULTLINE_ERR_REQUEST_INVALID');
      assert.equal(await storage.getEvent(good.eventId, [projectId]), null);
      assert.deepEqual((await storage.listIssues(projectId, { sort: 'last_seen', limit: 10 })).data, []);
    });

    it('answers an empty batch with an empty result', async () => {
      assert.deepEqual(await t.storage().storeBatch([]), { stored: [], duplicates: 0, created: [], regressed: [] });
    });
  });
}
