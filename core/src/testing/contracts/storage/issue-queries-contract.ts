import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { MAX_ISSUE_OFFSET, type Issue, type IssueQuery, type StorageProvider } from '../../../providers/storage.js';
import { groupedEvent, newFingerprint, rejectionCode, type StorageContractContext } from './storage-fixtures.js';

/** Every issue of a query, page by page; fails if a page repeats an issue. */
async function allPages(storage: StorageProvider, projectId: number, query: Omit<IssueQuery, 'cursor'>): Promise<Issue[]> {
  const seen: Issue[] = [];
  let cursor: string | undefined;
  do {
    const page = await storage.listIssues(projectId, { ...query, ...(cursor ? { cursor } : {}) });
    assert.ok(page.data.length <= query.limit);
    seen.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  assert.equal(new Set(seen.map((i) => i.id)).size, seen.length, 'a page repeated an issue');
  return seen;
}

/** listIssues (filters, sorts, cursors), getIssue and updateIssue. */
export function issueQueriesContract(t: StorageContractContext): void {
  describe('issues', () => {
    it('sorts by last seen, first seen and count, and pages through each with cursors', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const fingerprints = Array.from({ length: 5 }, newFingerprint);
      // Issue n gets n + 1 events; the first issue is seen first and last.
      for (const [n, fingerprint] of fingerprints.entries()) {
        await storage.storeBatch(Array.from({ length: n + 1 }, () => groupedEvent(projectId, fingerprint)));
      }
      await storage.storeBatch([groupedEvent(projectId, fingerprints[0])]);
      const ids = (sorted: Issue[]) => sorted.map((i) => i.fingerprint);
      const f = fingerprints;
      assert.deepEqual(ids(await allPages(storage, projectId, { sort: 'last_seen', limit: 2 })), [f[0], f[4], f[3], f[2], f[1]]);
      assert.deepEqual(ids(await allPages(storage, projectId, { sort: 'first_seen', limit: 2 })), [f[4], f[3], f[2], f[1], f[0]]);
      // Counts 2, 2, 3, 4, 5: the tie goes to the higher id (the issue made later).
      assert.deepEqual(ids(await allPages(storage, projectId, { sort: 'count', limit: 3 })), [f[4], f[3], f[2], f[1], f[0]]);
      const one = await storage.listIssues(projectId, { sort: 'count', limit: 5 });
      assert.equal(one.nextCursor, null, 'no cursor after the last page');
    });

    it('reads any page by offset, counts the filtered list when asked, and goes on from an offset page by cursor', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const other = await t.newProject();
      const fingerprints = Array.from({ length: 7 }, newFingerprint);
      for (const [n, fingerprint] of fingerprints.entries()) {
        await storage.storeBatch(Array.from({ length: n + 1 }, () => groupedEvent(projectId, fingerprint, { level: n % 2 === 0 ? 'error' : 'warning' })));
      }
      await storage.storeBatch([groupedEvent(other, newFingerprint())]);
      const byCount = (await allPages(storage, projectId, { sort: 'count', limit: 100 })).map((i) => i.id);
      const page = await storage.listIssues(projectId, { sort: 'count', limit: 2, offset: 3, total: true });
      assert.deepEqual(page.data.map((i) => i.id), byCount.slice(3, 5));
      assert.equal(page.total, 7);
      assert.equal(page.totalCapped, false);
      assert.ok(page.nextCursor, 'an offset page goes on by cursor');
      const next = await storage.listIssues(projectId, { sort: 'count', limit: 2, cursor: page.nextCursor });
      assert.deepEqual(next.data.map((i) => i.id), byCount.slice(5, 7));
      assert.equal(next.total, undefined, 'a cursor page is not counted');
      const uncounted = await storage.listIssues(projectId, { sort: 'count', limit: 2, offset: 3 });
      assert.deepEqual([uncounted.data.map((i) => i.id), uncounted.total], [byCount.slice(3, 5), undefined]);
      const last = await storage.listIssues(projectId, { sort: 'count', limit: 5, offset: 5 });
      assert.deepEqual([last.data.length, last.nextCursor], [2, null]);
      const past = await storage.listIssues(projectId, { sort: 'count', limit: 5, offset: 50, total: true });
      assert.deepEqual([past.data, past.nextCursor, past.total], [[], null, 7]);
      const warnings = await storage.listIssues(projectId, { sort: 'last_seen', limit: 1, total: true, level: 'warning' });
      assert.equal(warnings.total, 3, 'the total is of the filtered list');
    });

    it('refuses an offset out of range, or an offset or a count with a cursor', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      await storage.storeBatch([groupedEvent(projectId, newFingerprint()), groupedEvent(projectId, newFingerprint())]);
      const { nextCursor } = await storage.listIssues(projectId, { sort: 'last_seen', limit: 1 });
      const code = (query: Partial<IssueQuery>) => rejectionCode(storage.listIssues(projectId, { sort: 'last_seen', limit: 10, ...query }));
      assert.equal(await code({ offset: -1 }), 'FAULTLINE_ERR_QUERY_INVALID');
      assert.equal(await code({ offset: MAX_ISSUE_OFFSET + 1 }), 'FAULTLINE_ERR_QUERY_INVALID');
      assert.equal(await code({ offset: 1.5 }), 'FAULTLINE_ERR_QUERY_INVALID');
      assert.equal(await code({ offset: 1, cursor: nextCursor! }), 'FAULTLINE_ERR_QUERY_INVALID');
      assert.equal(await code({ total: true, cursor: nextCursor! }), 'FAULTLINE_ERR_QUERY_INVALID');
      assert.equal((await storage.listIssues(projectId, { sort: 'last_seen', limit: 10, offset: MAX_ISSUE_OFFSET })).data.length, 0);
    });

    it('filters by status, level, release, environment and text, within the project', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const other = await t.newProject();
      const [a, b, c] = [newFingerprint(), newFingerprint(), newFingerprint()];
      const { created } = await storage.storeBatch([
        groupedEvent(projectId, a, { level: 'warning', release: '1.0', environment: 'production', title: 'Timeout talking to billing' }),
        groupedEvent(projectId, b, { level: 'error', release: '2.0', environment: 'staging', title: 'Cannot read properties of undefined' }),
        groupedEvent(projectId, c, { level: 'error', release: '2.0', environment: 'production', title: 'Billing declined the card' }),
        groupedEvent(other, a, { title: 'Timeout talking to billing' }),
      ]);
      const id = (f: string) => created.find((i) => i.fingerprint === f && i.projectId === projectId)!.id;
      await storage.updateIssue(id(b), { status: 'resolved' });
      const list = async (query: Partial<IssueQuery>) =>
        (await storage.listIssues(projectId, { sort: 'last_seen', limit: 50, ...query })).data.map((i) => i.id).sort();
      assert.deepEqual(await list({}), [id(a), id(b), id(c)].sort());
      assert.deepEqual(await list({ status: 'resolved' }), [id(b)]);
      assert.deepEqual(await list({ status: 'unresolved' }), [id(a), id(c)].sort());
      assert.deepEqual(await list({ level: 'warning' }), [id(a)]);
      assert.deepEqual(await list({ release: '2.0' }), [id(b), id(c)].sort());
      assert.deepEqual(await list({ environment: 'production', release: '2.0' }), [id(c)]);
      assert.deepEqual(await list({ text: 'billing' }), [id(a), id(c)].sort());
      assert.deepEqual(await list({ text: 'BILLING timeout' }), [id(a)]);
      assert.deepEqual(await list({ text: 'nowhere' }), []);
    });

    it('refuses an unknown sort, a bad limit and a cursor it did not issue or issued for another sort', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      await storage.storeBatch([groupedEvent(projectId, newFingerprint()), groupedEvent(projectId, newFingerprint())]);
      const page = await storage.listIssues(projectId, { sort: 'last_seen', limit: 1 });
      assert.ok(page.nextCursor);
      const code = (query: Partial<IssueQuery>) => rejectionCode(storage.listIssues(projectId, { sort: 'last_seen', limit: 10, ...query }));
      assert.equal(await code({ sort: 'loudest' as never }), 'FAULTLINE_ERR_QUERY_INVALID');
      assert.equal(await code({ limit: 0 }), 'FAULTLINE_ERR_QUERY_INVALID');
      assert.equal(await code({ limit: 1001 }), 'FAULTLINE_ERR_QUERY_INVALID');
      assert.equal(await code({ cursor: 'not a cursor' }), 'FAULTLINE_ERR_QUERY_CURSOR');
      assert.equal(await code({ cursor: Buffer.from('["issues:last_seen","x","1"]').toString('base64url') }), 'FAULTLINE_ERR_QUERY_CURSOR');
      assert.equal(await code({ sort: 'count', cursor: page.nextCursor! }), 'FAULTLINE_ERR_QUERY_CURSOR');
    });

    it('gets and updates an issue by id; an unknown id gives null and an unknown status is refused', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const { created } = await storage.storeBatch([groupedEvent(projectId, newFingerprint())]);
      const issue = created[0];
      const resolved = await storage.updateIssue(issue.id, { status: 'resolved' });
      assert.deepEqual(resolved, { ...issue, status: 'resolved' });
      assert.deepEqual(await storage.getIssue(issue.id), resolved);
      assert.equal((await storage.updateIssue(issue.id, { status: 'unresolved' }))?.status, 'unresolved');
      assert.equal(await storage.getIssue('9000000000000000000'), null);
      assert.equal(await storage.getIssue('not-an-id'), null);
      assert.equal(await storage.updateIssue('9000000000000000000', { status: 'resolved' }), null);
      assert.equal(await rejectionCode(storage.updateIssue(issue.id, { status: 'done' as never })), 'FAULTLINE_ERR_REQUEST_INVALID');
    });
  });
}
