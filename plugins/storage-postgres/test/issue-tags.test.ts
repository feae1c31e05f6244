import { expect } from 'chai';
import pg from 'pg';
import type { GroupedEvent } from '@faultline/core';
import { issueTags } from '../src/migrations/0009-issue-tags.js';
import { PostgresStorage } from '../src/index.js';
import { createHarness, groupedEvent, type Harness } from './helpers.js';

describe('issue tags (migration 0009)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const tagged = (fingerprint: string, tags: Record<string, string>, at?: Date): GroupedEvent => ({
    ...groupedEvent(h.projectId, fingerprint, { release: 'app@1', ...(at ? { receivedAt: at } : {}) }),
    search: { text: '', tags, filenames: [], functions: [] },
  });

  async function rows(issueId: string) {
    const sql = await h.sql();
    const { rows } = await sql.query(
      `SELECT key, value, times_seen::int AS n, first_seen, last_seen FROM issue_tags WHERE issue_id = $1 ORDER BY key, value`,
      [issueId],
    );
    return rows as { key: string; value: string; n: number; first_seen: Date; last_seen: Date }[];
  }

  it('counts each (issue, key, value) over batches, with first and last seen, level and release among them, user fields not', async () => {
    const t0 = new Date('2026-03-01T10:00:00Z');
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    const first = await h.storage.storeBatch([
      tagged('one', { browser: 'Chrome', 'user.id': '1' }, at(5)),
      tagged('one', { browser: 'Chrome', 'user.id': '2' }, at(1)),
      tagged('one', { browser: 'Firefox' }, at(3)),
    ]);
    await h.storage.storeBatch([tagged('one', { browser: 'Chrome' }, at(9)), tagged('two', { browser: 'Chrome' }, at(2))]);
    const issueId = first.stored[0].issueId;
    const byKey = (await rows(issueId)).map((r) => `${r.key}=${r.value}:${r.n}`);
    // User fields are counted with the issue's users (user-search.test.ts).
    expect(byKey).to.deep.equal(['browser=Chrome:3', 'browser=Firefox:1', 'level=error:4', 'release=app@1:4']);
    const chrome = (await rows(issueId)).find((r) => r.key === 'browser' && r.value === 'Chrome')!;
    expect([chrome.first_seen.toISOString(), chrome.last_seen.toISOString()]).to.deep.equal([at(1).toISOString(), at(9).toISOString()]);
  });

  it('adds counts up in memory and writes them after issueTagsFlushMs, before a read of this process, and at close', async () => {
    const slow = new PostgresStorage({ url: h.db.url, issueTagsFlushMs: 60_000 });
    await slow.connect();
    let issueId = '';
    try {
      const { stored } = await slow.storeBatch([tagged('held', { browser: 'Chrome' }), tagged('held', { browser: 'Chrome' })]);
      await slow.storeBatch([tagged('held', { browser: 'Safari' })]);
      issueId = stored[0].issueId;
      const direct = async () => (await (await h.sql()).query('SELECT count(*)::int AS n FROM issue_tags WHERE issue_id = $1', [issueId])).rows[0].n;
      expect(await direct(), 'nothing written before the flush').to.equal(0);
      const summary = await slow.tagSummary(h.projectId, issueId, { valuesPerTag: 5 });
      expect(summary.find((t) => t.key === 'browser')?.values).to.deep.equal([{ value: 'Chrome', count: 2 }, { value: 'Safari', count: 1 }]);
      expect(await direct(), 'the read wrote them first').to.be.greaterThan(0);
      await slow.storeBatch([tagged('held', { browser: 'Edge' })]);
    } finally {
      await slow.close();
    }
    expect((await rows(issueId)).map((r) => r.value), 'written at close').to.include('Edge');
  });

  it('with issueTagsFlushMs: 0 writes each batch\'s counts in its own transaction, exact at its commit', async () => {
    const exact = new PostgresStorage({ url: h.db.url, issueTagsFlushMs: 0 });
    await exact.connect();
    try {
      const a = tagged('exact', { browser: 'Chrome' });
      const { stored } = await exact.storeBatch([a, tagged('exact', { browser: 'Firefox' })]);
      await exact.storeBatch([{ ...a }, tagged('exact', { browser: 'Chrome' })]);
      // A connection of its own, not h.sql() (which writes h.storage's held counts): the commit alone wrote these.
      const reader = new pg.Client({ connectionString: h.db.url });
      await reader.connect();
      try {
        const { rows: counted } = await reader.query(
          `SELECT value, times_seen::int AS n FROM issue_tags WHERE issue_id = $1 AND key = 'browser' ORDER BY value`,
          [stored[0].issueId],
        );
        expect(counted).to.deep.equal([{ value: 'Chrome', n: 2 }, { value: 'Firefox', n: 1 }]);
      } finally {
        await reader.end();
      }
    } finally {
      await exact.close();
    }
  });

  it('keeps counts whose write failed for the next one', async () => {
    const storage = new PostgresStorage({ url: h.db.url, issueTagsFlushMs: 60_000 });
    await storage.connect();
    try {
      const { stored } = await storage.storeBatch([tagged('kept', { browser: 'Chrome' })]);
      const sql = await h.sql();
      await sql.query('ALTER TABLE issue_tags RENAME TO issue_tags_away');
      let failed = false;
      await storage.flushIssueTags().catch(() => (failed = true));
      expect(failed, 'the write failed').to.equal(true);
      await sql.query('ALTER TABLE issue_tags_away RENAME TO issue_tags');
      await storage.flushIssueTags();
      expect((await rows(stored[0].issueId)).map((r) => `${r.key}=${r.value}:${r.n}`)).to.include('browser=Chrome:1');
    } finally {
      await storage.close();
    }
  });

  it('counts a retried event once: repeats within a batch and events stored before add nothing', async () => {
    const a = tagged('retry', { browser: 'Chrome' });
    const b = tagged('retry', { browser: 'Chrome' });
    const first = await h.storage.storeBatch([a, { ...a }]);
    const again = await h.storage.storeBatch([{ ...a }, b]);
    expect(again.duplicates).to.equal(1);
    await h.storage.storeBatch([{ ...a }, { ...b }]);
    const summary = await h.storage.tagSummary(h.projectId, first.stored[0].issueId, { valuesPerTag: 5 });
    expect(summary.find((t) => t.key === 'browser')?.values).to.deep.equal([{ value: 'Chrome', count: 2 }]);
  });

  it('keeps counts exact under concurrent batches upserting the same tags', async () => {
    const batches = Array.from({ length: 6 }, (_, b) =>
      Array.from({ length: 150 }, (_, i) => tagged(`c-${(i + b) % 3}`, { browser: ['Chrome', 'Firefox'][i % 2], shard: String(i % 7) })),
    );
    const results = await Promise.all(batches.map((batch) => h.storage.storeBatch(batch)));
    const issueIds = [...new Set(results.flatMap((r) => r.stored.map((s) => s.issueId)))];
    let browsers = 0;
    for (const id of issueIds) {
      const issue = await h.storage.getIssue(id);
      const counts = await rows(id);
      const sum = (key: string) => counts.filter((r) => r.key === key).reduce((n, r) => n + r.n, 0);
      expect(sum('shard')).to.equal(issue!.count);
      expect(sum('level')).to.equal(issue!.count);
      browsers += sum('browser');
    }
    expect(browsers).to.equal(6 * 150);
  });

  it('summarizes from the counts: most frequent values first, at most valuesPerTag, ties by value', async () => {
    const batch = ['b', 'a', 'c', 'a', 'c', 'c'].map((v) => tagged('summary', { letter: v }));
    const { stored } = await h.storage.storeBatch(batch);
    const summary = await h.storage.tagSummary(h.projectId, stored[0].issueId, { valuesPerTag: 2 });
    expect(summary.find((t) => t.key === 'letter')?.values).to.deep.equal([
      { value: 'c', count: 3 },
      { value: 'a', count: 2 },
    ]);
    expect(await h.storage.tagSummary(h.projectId + 1, stored[0].issueId, { valuesPerTag: 2 })).to.deep.equal([]);
  });

  it('stores hostile and Unicode tag keys and values intact: the summary gives them back as sent', async () => {
    const key = `k'); DROP TABLE issue_tags;--`;
    const value = `v\\'"{},%_ ошибка 支付 \u{1F600}`;
    const { stored } = await h.storage.storeBatch([tagged('hostile', { [key]: value })]);
    const summary = await h.storage.tagSummary(h.projectId, stored[0].issueId, { valuesPerTag: 5 });
    expect(summary.find((t) => t.key === key)?.values).to.deep.equal([{ value, count: 1 }]);
  });

  it('is backfilled by the migration from the tags events kept in `fields` and their level, release and environment', async () => {
    const { stored } = await h.storage.storeBatch([tagged('old', {}), tagged('old', {})]);
    const sql = await h.sql();
    // Events as migration 0007 stored them: tags under "t" in `fields`, no issue_tags yet.
    await sql.query(`UPDATE events SET fields = '{"t": {"browser": "Chrome", "user.id": "7"}, "f": ["a.js"]}' WHERE issue_id = $1`, [stored[0].issueId]);
    await sql.query('DROP TABLE issue_tags');
    await sql.query('BEGIN');
    await issueTags.up(sql);
    await sql.query('COMMIT');
    expect((await rows(stored[0].issueId)).map((r) => `${r.key}=${r.value}:${r.n}`)).to.deep.equal([
      'browser=Chrome:2',
      'level=error:2',
      'release=app@1:2',
      'user.id=7:2',
    ]);
  });
});
