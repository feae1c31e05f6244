import { expect } from 'chai';
import { parseSearchQuery, type GroupedEvent, type IssueSearchQuery, type IssueSort } from '@faultline/core';
import { withOffset } from '../src/issue-queries.js';
import { searchIssues } from '../src/search-queries.js';
import { createHarness, groupedEvent, type Harness } from './helpers.js';

/**
 * A negated tag or user condition common enough to check per issue walks the first issues one by one,
 * then reads the rest of the page from a hashed set (search-queries.ts). Whatever the walk's length and
 * the page size, the pages must list what the id-list answer lists, in the same order.
 */
describe('negated conditions walked issue by issue, then hashed', function () {
  this.timeout(60_000);
  let h: Harness;
  const ISSUES = 12;

  before(async () => {
    h = await createHarness();
    const events: GroupedEvent[] = [];
    for (let i = 0; i < ISSUES; i++) {
      // Every third issue lacks Chrome, every fourth has Firefox too; issue i has (i % 5) + 1 events.
      const tags: Record<string, string> = { region: i % 2 === 0 ? 'eu' : 'us' };
      if (i % 3 !== 0) tags.browser = 'Chrome';
      for (let n = 0; n <= i % 5; n++) {
        const user = i % 4 === 1 ? { 'user.id': '1' } : { 'user.id': String(100 + i) };
        const extra: Record<string, string> = i % 4 === 0 && n === 0 ? { browser: 'Firefox' } : {};
        events.push({
          ...groupedEvent(h.projectId, `i${String(i).padStart(2, '0')}`, { userKey: `id:${user['user.id']}` }),
          search: { text: '', tags: { ...tags, ...extra, ...user }, filenames: [], functions: [] },
        });
      }
    }
    await h.storage.storeBatch(events);
  });
  after(async () => {
    await h?.close();
  });

  async function pages(query: string, sort: IssueSort, limit: number, perIssueFrom: number, walk: number): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const q: IssueSearchQuery = { ast: parseSearchQuery(query), sort, limit, cursor };
      const page = await searchIssues(await h.sql(), h.projectId, q, perIssueFrom, walk);
      seen.push(...page.data.map((i) => i.fingerprint));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return seen;
  }

  const queries = ['!browser:Chrome', '!browser:Chrome !browser:Firefox', '!user.id:1', 'region:eu !browser:Chrome', '!region:eu !browser:Firefox', '!region:[eu, us]'];
  for (const query of queries) {
    it(`${query}: the same issues in the same order for every walk length and page size`, async () => {
      for (const sort of ['last_seen', 'count', 'first_seen'] as const) {
        const expected = await pages(query, sort, 100, 1000, 2000); // small data: every condition an id list
        expect(expected.length, `${query} finds some issues and not all`).to.be.below(ISSUES);
        for (const walk of [1, 2, 3, 5, 2000]) {
          for (const limit of [1, 2, 3, 100]) {
            expect(await pages(query, sort, limit, 1, walk), `${sort}, walk ${walk}, limit ${limit}`).to.deep.equal(expected);
          }
        }
      }
    });
  }

  it('counts and offset pages (which skip the walk) find the same issues', async () => {
    const query = (offset: number): IssueSearchQuery => withOffset({ ast: parseSearchQuery('!browser:Chrome'), sort: 'last_seen', limit: 2, offset, total: true });
    const all = await pages('!browser:Chrome', 'last_seen', 100, 1000, 2000);
    const first = await searchIssues(await h.sql(), h.projectId, query(0), 1, 1);
    const second = await searchIssues(await h.sql(), h.projectId, query(2), 1, 1);
    expect(first.total).to.equal(all.length);
    expect([...first.data, ...second.data].map((i) => i.fingerprint)).to.deep.equal(all.slice(0, 4));
  });
});
