import { expect } from 'chai';
import { parseSearchQuery, type GroupedEvent } from '@faultline/core';
import { userSearch } from '../src/migrations/0010-user-search.js';
import { searchIssues } from '../src/search-queries.js';
import { PostgresStorage } from '../src/index.js';
import { createHarness, groupedEvent, type Harness } from './helpers.js';

describe('user fields with the issue\'s users (migration 0010)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const byUser = (fingerprint: string, userKey: string | null, user: Record<string, string>): GroupedEvent => ({
    ...groupedEvent(h.projectId, fingerprint, { userKey }),
    search: { text: '', tags: { browser: 'Chrome', ...user }, filenames: [], functions: [] },
  });
  const ann = { 'user.id': '1', 'user.email': 'ann@example.com', 'user.ip': '10.0.0.1' };
  const bob = { 'user.id': '2', 'user.email': "bob'); DROP TABLE issue_users;--@example.com", 'user.username': 'bob' };

  async function users(issueId: string) {
    const sql = await h.sql();
    const { rows } = await sql.query(
      'SELECT user_key, times_seen::int AS n, terms FROM issue_users WHERE issue_id = $1 ORDER BY user_key',
      [issueId],
    );
    return rows as { user_key: string; n: number; terms: string[] | null }[];
  }

  async function found(query: string, perIssueFrom: number): Promise<string[]> {
    const page = await searchIssues(await h.sql(), h.projectId, { ast: parseSearchQuery(query), sort: 'last_seen', limit: 10 }, perIssueFrom);
    return page.data.map((i) => i.fingerprint).sort();
  }

  it('counts each user\'s events over batches and the issue\'s users once, keeping the fields they came with', async () => {
    const first = await h.storage.storeBatch([byUser('one', 'id:1', ann), byUser('one', 'id:1', ann), byUser('one', 'id:2', bob)]);
    // Ann comes back with another address: she is the same user, still found by the first.
    await h.storage.storeBatch([byUser('one', 'id:1', { ...ann, 'user.email': 'ann@new.example' }), byUser('one', null, {})]);
    const issueId = first.stored[0].issueId;
    expect(await users(issueId)).to.deep.equal([
      { user_key: 'id:1', n: 3, terms: ['id:1', 'email:ann@example.com', 'ip:10.0.0.1'] },
      { user_key: 'id:2', n: 1, terms: ['id:2', `email:${bob['user.email']}`, 'username:bob'] },
    ]);
    expect((await h.storage.getIssue(issueId))?.userCount).to.equal(2);
    expect(await h.storage.tagSummary(h.projectId, issueId, { valuesPerTag: 5 })).to.deep.include.members([
      { key: 'user.id', values: [{ value: '1', count: 3 }, { value: '2', count: 1 }] },
      { key: 'user.email', values: [{ value: 'ann@example.com', count: 3 }, { value: bob['user.email'], count: 1 }] },
      { key: 'user.username', values: [{ value: 'bob', count: 1 }] },
      { key: 'user.ip', values: [{ value: '10.0.0.1', count: 3 }] },
    ]);
    const tags = await (await h.sql()).query("SELECT count(*)::int AS n FROM issue_tags WHERE key LIKE 'user.%'");
    expect(tags.rows[0].n, 'user fields are not issue tags').to.equal(0);
  });

  it('with searchIndex: false still counts the issue\'s users, and keeps no fields of theirs nor counts past a pair\'s first batch', async () => {
    const plain = new PostgresStorage({ url: h.db.url, searchIndex: false });
    await plain.connect();
    try {
      const { stored } = await plain.storeBatch([byUser('plain', 'id:1', ann), byUser('plain', 'id:1', ann), byUser('plain', 'id:2', bob)]);
      await plain.storeBatch([byUser('plain', 'id:1', ann), byUser('plain', 'id:3', {})]);
      const issueId = stored[0].issueId;
      expect((await plain.getIssue(issueId))?.userCount).to.equal(3);
      expect(await users(issueId)).to.deep.equal([
        { user_key: 'id:1', n: 2, terms: null },
        { user_key: 'id:2', n: 1, terms: null },
        { user_key: 'id:3', n: 1, terms: null },
      ]);
    } finally {
      await plain.close();
    }
  });

  for (const perIssueFrom of [1, 1000]) {
    it(`finds issues by each user field, exact, wildcard and negated, hostile values as data (checked ${perIssueFrom === 1 ? 'per issue' : 'by id list'})`, async () => {
      await h.storage.storeBatch([byUser('ann', 'id:1', ann), byUser('bob', 'id:2', bob), byUser('nobody', null, {})]);
      expect(await found('user.id:1', perIssueFrom)).to.deep.equal(['ann']);
      expect(await found('user.email:ann@example.com', perIssueFrom)).to.deep.equal(['ann']);
      expect(await found(`user.email:"${bob['user.email']}"`, perIssueFrom)).to.deep.equal(['bob']);
      expect(await found('user.email:*@example.com', perIssueFrom)).to.deep.equal(['ann', 'bob']);
      expect(await found('user.username:bob', perIssueFrom)).to.deep.equal(['bob']);
      expect(await found('user.ip_address:10.0.0.*', perIssueFrom)).to.deep.equal(['ann']);
      expect(await found('user.id:[1, 2]', perIssueFrom)).to.deep.equal(['ann', 'bob']);
      expect(await found('!user.id:1', perIssueFrom)).to.deep.equal(['bob', 'nobody']);
      expect(await found('user.email:1', perIssueFrom), 'a value of another field').to.deep.equal([]);
      expect(await found('user.id:%', perIssueFrom), 'LIKE characters match themselves').to.deep.equal([]);
    });
  }

  it('is backfilled by the migration: each user\'s identity as its term, its count from the issue tag of that identity', async () => {
    const { stored } = await h.storage.storeBatch([byUser('old', 'id:7', {}), byUser('old', 'email:eve@example.com', {})]);
    const issueId = stored[0].issueId;
    const sql = await h.sql();
    // The tables as migration 0009 left them: user fields among the issue tags, pairs without counts or terms.
    await sql.query('DROP INDEX issue_users_terms_idx');
    await sql.query('ALTER TABLE issue_users DROP COLUMN times_seen, DROP COLUMN terms');
    await sql.query(
      `INSERT INTO issue_tags (project_id, issue_id, key, value, times_seen, first_seen, last_seen)
       VALUES ($1, $2, 'user.id', '7', 5, now(), now()), ($1, $2, 'user.email', 'ann@example.com', 5, now(), now())`,
      [h.projectId, issueId],
    );
    await sql.query('BEGIN');
    await userSearch.up(sql);
    await sql.query('COMMIT');
    expect(await users(issueId)).to.deep.equal([
      { user_key: 'email:eve@example.com', n: 1, terms: ['email:eve@example.com'] },
      { user_key: 'id:7', n: 5, terms: ['id:7'] },
    ]);
    expect(await found('user.id:7', 1000)).to.deep.equal(['old']);
    const tags = await sql.query("SELECT count(*)::int AS n FROM issue_tags WHERE key LIKE 'user.%'");
    expect(tags.rows[0].n).to.equal(0);
  });
});
