import { expect } from 'chai';
import { FaultlineError, type Issue } from '@faultline/core';
import { createHarness, groupedEvent, type Harness } from './helpers.js';

describe('listIssues', () => {
  let h: Harness;
  const ids: Record<string, string> = {};
  before(async () => {
    h = await createHarness();
    // alpha: 3 events, first seen first; beta: 1 event; gamma: 2 events, seen last
    const r1 = await h.storage.storeBatch([
      groupedEvent(h.projectId, 'alpha', { title: 'TypeError: cannot read property name', release: '1.0', environment: 'production' }),
      groupedEvent(h.projectId, 'alpha'),
      groupedEvent(h.projectId, 'alpha', { release: '1.0', environment: 'production', level: 'fatal' }),
    ]);
    const r2 = await h.storage.storeBatch([
      groupedEvent(h.projectId, 'beta', { title: 'RangeError: invalid array length', release: '2.0', environment: 'staging', level: 'warning' }),
    ]);
    const r3 = await h.storage.storeBatch([
      groupedEvent(h.projectId, 'gamma', { title: 'ReferenceError: foo is not defined', release: '2.0', environment: 'production' }),
      groupedEvent(h.projectId, 'gamma', { release: '2.0', environment: 'production' }),
    ]);
    for (const issue of [...r1.created, ...r2.created, ...r3.created]) ids[issue.fingerprint] = issue.id;
    await h.storage.updateIssue(ids.beta, { status: 'resolved' });
  });
  after(async () => {
    await h?.close();
  });

  const fingerprints = (issues: Issue[]) => issues.map((i) => i.fingerprint);

  it('sorts by last seen, first seen and count, newest or biggest first', async () => {
    const byLast = await h.storage.listIssues(h.projectId, { sort: 'last_seen', limit: 10 });
    expect(fingerprints(byLast.data)).to.deep.equal(['gamma', 'beta', 'alpha']);
    expect(byLast.nextCursor).to.equal(null);
    const byFirst = await h.storage.listIssues(h.projectId, { sort: 'first_seen', limit: 10 });
    expect(fingerprints(byFirst.data)).to.deep.equal(['gamma', 'beta', 'alpha']);
    const byCount = await h.storage.listIssues(h.projectId, { sort: 'count', limit: 10 });
    expect(fingerprints(byCount.data)).to.deep.equal(['alpha', 'gamma', 'beta']);
  });

  it('filters by status, level, release and environment', async () => {
    const list = (q: object) => h.storage.listIssues(h.projectId, { sort: 'last_seen', limit: 10, ...q }).then((p) => fingerprints(p.data));
    expect(await list({ status: 'resolved' })).to.deep.equal(['beta']);
    expect(await list({ status: 'unresolved' })).to.deep.equal(['gamma', 'alpha']);
    expect(await list({ level: 'fatal' })).to.deep.equal(['alpha']);
    expect(await list({ release: '2.0' })).to.deep.equal(['gamma', 'beta']);
    expect(await list({ environment: 'production', release: '2.0' })).to.deep.equal(['gamma']);
  });

  it('searches title, value and culprit as free text', async () => {
    const list = (text: string) => h.storage.listIssues(h.projectId, { sort: 'last_seen', limit: 10, text }).then((p) => fingerprints(p.data));
    expect(await list('TypeError')).to.deep.equal(['alpha']);
    expect(await list('invalid array')).to.deep.equal(['beta']);
    expect(await list('"not defined"')).to.deep.equal(['gamma']);
    expect(await list('handler')).to.have.members(['alpha', 'beta', 'gamma']);
    expect(await list('nothing-matches-this')).to.deep.equal([]);
  });

  it('does not list another project\'s issues', async () => {
    const other = await h.storage.createProject({ name: 'Other', slug: 'other-list' });
    await h.storage.storeBatch([groupedEvent(other.id, 'alpha')]);
    const page = await h.storage.listIssues(h.projectId, { sort: 'last_seen', limit: 10 });
    expect(page.data.every((i) => i.projectId === h.projectId)).to.equal(true);
    expect(page.data).to.have.length(3);
  });

  it('rejects a malformed cursor with FAULTLINE_ERR_QUERY_CURSOR', async () => {
    for (const cursor of ['!!', 'bm90LWpzb24', Buffer.from('["issues:count","x","1"]').toString('base64url')]) {
      try {
        await h.storage.listIssues(h.projectId, { sort: 'count', limit: 10, cursor });
        expect.fail('should have thrown');
      } catch (err) {
        expect(err).to.be.instanceOf(FaultlineError);
        expect((err as FaultlineError).code).to.equal('FAULTLINE_ERR_QUERY_CURSOR');
      }
    }
    const page = await h.storage.listIssues(h.projectId, { sort: 'last_seen', limit: 1 });
    try {
      await h.storage.listIssues(h.projectId, { sort: 'count', limit: 1, cursor: page.nextCursor! });
      expect.fail('should have thrown');
    } catch (err) {
      expect((err as FaultlineError).code).to.equal('FAULTLINE_ERR_QUERY_CURSOR');
    }
  });

  for (const sort of ['last_seen', 'count', 'first_seen'] as const) {
    it(`pages by cursor (${sort}) without duplicates while events arrive`, async () => {
      const project = await h.storage.createProject({ name: `Paging ${sort}`, slug: `paging-${sort.replace('_', '-')}` });
      const total = 57;
      await h.storage.storeBatch(Array.from({ length: total }, (_, i) => groupedEvent(project.id, `p-${i}`)));
      const seen: string[] = [];
      let cursor: string | undefined;
      let round = 0;
      do {
        const page = await h.storage.listIssues(project.id, { sort, limit: 10, ...(cursor ? { cursor } : {}) });
        seen.push(...page.data.map((i) => i.id));
        cursor = page.nextCursor ?? undefined;
        // new events for issues on every page, and a brand-new issue, between page reads
        await h.storage.storeBatch([
          groupedEvent(project.id, `p-${(round * 7) % total}`),
          groupedEvent(project.id, `p-${total - 1 - round}`),
          groupedEvent(project.id, `late-${round}`),
        ]);
        round++;
      } while (cursor);
      expect(new Set(seen).size).to.equal(seen.length);
      expect(seen.length).to.be.at.least(10);
    });
  }

  it('returns every issue across pages when nothing changes', async () => {
    const project = await h.storage.createProject({ name: 'Stable', slug: 'stable-paging' });
    await h.storage.storeBatch(Array.from({ length: 25 }, (_, i) => groupedEvent(project.id, `s-${i}`)));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.storage.listIssues(project.id, { sort: 'count', limit: 7, ...(cursor ? { cursor } : {}) });
      seen.push(...page.data.map((i) => i.fingerprint));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).to.have.length(25);
    expect(new Set(seen).size).to.equal(25);
  });
});
