import { expect } from 'chai';
import { parseSearchQuery, type CanonicalEvent, type GroupedEvent } from '@faultline/core';
import { PostgresStorage } from '../src/index.js';
import { issueFramesTable } from '../src/migrations/0013-issue-frames-table.js';
import { createHarness, groupedEvent, type Harness } from './helpers.js';

describe('search columns of events (migration 0007)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  async function columns(eventId: string) {
    const sql = await h.sql();
    const { rows } = await sql.query(`SELECT search_text, fields FROM events WHERE event_id = $1`, [eventId]);
    return rows[0] as { search_text: string; fields: unknown };
  }

  async function tags(issueId: string) {
    const sql = await h.sql();
    const { rows } = await sql.query(`SELECT key, value, times_seen::int AS n FROM issue_tags WHERE issue_id = $1 ORDER BY key, value`, [issueId]);
    return rows as { key: string; value: string; n: number }[];
  }

  it('derives text, tags, user fields and frames from the payload when grouping did not (an event from a queue)', async () => {
    const base = groupedEvent(h.projectId, 'fp', { userKey: 'id:7' });
    const event: CanonicalEvent = {
      event_id: base.eventId,
      timestamp: base.timestamp,
      level: 'error',
      platform: 'node',
      message: 'checkout failed',
      tags: { browser: 'Chrome', 'odd\u0000key': 'lone \ud800 surrogate' },
      user: { id: 7, email: 'ann@example.com' },
      exception: { values: [{ type: 'TypeError', value: 'x is undefined', stacktrace: { frames: [{ filename: 'a.js', function: 'main' }] } }] },
    };
    const grouped: GroupedEvent = { ...base, payload: new TextEncoder().encode(JSON.stringify(event)) };
    delete grouped.search;
    const stored = await h.storage.storeBatch([grouped]);
    const row = await columns(base.eventId);
    expect(row.search_text).to.equal('checkout failed\nTypeError x is undefined');
    expect(row.fields).to.deep.equal({ f: ['a.js'], fn: ['main'] });
    expect(await tags(stored.stored[0].issueId)).to.deep.equal([
      { key: 'browser', value: 'Chrome', n: 1 },
      { key: 'level', value: 'error', n: 1 },
      { key: 'oddkey', value: 'lone \ufffd surrogate', n: 1 },
    ]);
    const users = await (await h.sql()).query('SELECT user_key, terms, times_seen::int AS n FROM issue_users WHERE issue_id = $1', [stored.stored[0].issueId]);
    expect(users.rows).to.deep.equal([{ user_key: 'id:7', terms: ['id:7', 'email:ann@example.com'], n: 1 }]);
  });

  it('writes the fields grouping made as they are', async () => {
    const grouped: GroupedEvent = {
      ...groupedEvent(h.projectId, 'fp2'),
      search: { text: 'ошибка 支付', tags: { region: 'eu' }, filenames: [], functions: ['f'] },
    };
    await h.storage.storeBatch([grouped]);
    const row = await columns(grouped.eventId);
    // The event's frames are its new issue's (migration 0013), found there.
    expect(row).to.deep.equal({ search_text: 'ошибка 支付', fields: null });
    const issue = await (await h.sql()).query(
      'SELECT f.project_id, f.frames FROM issue_frames f JOIN issues i ON i.id = f.issue_id WHERE i.fingerprint = $1',
      ['fp2'],
    );
    expect(issue.rows).to.deep.equal([{ project_id: h.projectId, frames: { f: [], fn: ['f'] } }]);
  });

  it('keeps one event\'s text per issue and distinct text in a batch (the rest skip the text index), and no tags', async () => {
    const withText = (fingerprint: string, text: string): GroupedEvent => ({
      ...groupedEvent(h.projectId, fingerprint),
      search: { text, tags: { browser: 'Chrome' }, filenames: [], functions: [] },
    });
    const batch = [withText('one', 'same words'), withText('one', 'same words'), withText('one', 'other words'), withText('two', 'same words')];
    await h.storage.storeBatch(batch);
    const rows = [];
    for (const e of batch) rows.push(await columns(e.eventId));
    // The batch is written in event-id order, so either of the two repeats may be the one kept.
    expect([rows[0].search_text, rows[1].search_text].sort()).to.deep.equal([null, 'same words'].sort());
    expect([rows[2].search_text, rows[3].search_text]).to.deep.equal(['other words', 'same words']);
    for (const r of rows) expect(r.fields).to.equal(null);
  });

  it('leaves out the text the issue\'s own search column has, new issue or old, and finds the issue by it all the same', async () => {
    const withText = (text: string, value = 'card declined by issuer'): GroupedEvent => ({
      ...groupedEvent(h.projectId, 'declined', { title: `PaymentError: ${value}`, value }),
      meta: { title: `PaymentError: ${value}`, culprit: 'pay.ts', type: 'PaymentError', value },
      search: { text, tags: {}, filenames: [], functions: [] },
    });
    const first = [withText('PaymentError card declined by issuer'), withText('card declined by issuer')];
    const later = [withText('PaymentError card declined by issuer'), withText('PaymentError card declined by the bank')];
    const { stored } = await h.storage.storeBatch(first);
    await h.storage.storeBatch(later);
    const texts = [];
    for (const e of [...first, ...later]) texts.push((await columns(e.eventId)).search_text);
    expect(texts).to.deep.equal([null, null, null, 'PaymentError card declined by the bank']);
    for (const query of ['"PaymentError card declined"', 'issuer', '"declined by the bank"']) {
      const page = await h.storage.searchIssues(h.projectId, { ast: parseSearchQuery(query), sort: 'last_seen', limit: 5 });
      expect(page.data.map((i) => i.id), query).to.deep.equal([stored[0].issueId]);
    }
  });

  it('reads an issue\'s text again when the issue was deleted and another process made a new one of the same fingerprint', async () => {
    const withValue = (value: string): GroupedEvent => ({
      ...groupedEvent(h.projectId, 'recreated', { title: `PaymentError: ${value}`, value }),
      meta: { title: `PaymentError: ${value}`, culprit: 'pay.ts', type: 'PaymentError', value },
      search: { text: value, tags: {}, filenames: [], functions: [] },
    });
    const first = await h.storage.storeBatch([withValue('card declined')]); // this process now holds its text
    const sql = await h.sql();
    await sql.query('DELETE FROM issues WHERE id = $1', [first.stored[0].issueId]);
    const other = new PostgresStorage({ url: h.db.url });
    try {
      await other.connect();
      await other.storeBatch([withValue('card expired')]);
    } finally {
      await other.close();
    }
    const again = [withValue('card declined'), withValue('card expired')];
    const { stored } = await h.storage.storeBatch(again);
    expect(stored[0].issueId).to.not.equal(first.stored[0].issueId);
    expect((await columns(again[0].eventId)).search_text, 'not the new issue\'s text').to.equal('card declined');
    expect((await columns(again[1].eventId)).search_text, 'the new issue\'s text').to.equal(null);
  });

  it('moves the issues\' frames to their own table (migration 0013), where they are still found', async () => {
    const event: GroupedEvent = { ...groupedEvent(h.projectId, 'moved'), search: { text: '', tags: {}, filenames: ['cart.ts'], functions: ['placeOrder'] } };
    const { stored } = await h.storage.storeBatch([event]);
    const sql = await h.sql();
    // The tables as migration 0012 left them: the frames in the issue's row.
    await sql.query(`
      ALTER TABLE issues ADD COLUMN frames jsonb;
      UPDATE issues SET frames = f.frames FROM issue_frames f WHERE f.issue_id = issues.id;
      CREATE INDEX issues_frames_idx ON issues USING gin (frames jsonb_path_ops);
      DROP TABLE issue_frames;
    `);
    await sql.query('BEGIN');
    await issueFramesTable.up(sql);
    await sql.query('COMMIT');
    const { rows } = await sql.query('SELECT issue_id::text AS id, project_id, frames FROM issue_frames');
    expect(rows).to.deep.equal([{ id: stored[0].issueId, project_id: h.projectId, frames: { f: ['cart.ts'], fn: ['placeOrder'] } }]);
    const page = await h.storage.searchIssues(h.projectId, { ast: parseSearchQuery('stack.function:placeOrder'), sort: 'last_seen', limit: 5 });
    expect(page.data.map((i) => i.id)).to.deep.equal([stored[0].issueId]);
  });

  it('keeps an issue\'s frames with the issue, other frames on one event of the batch, and finds the issue by either', async () => {
    const withFrames = (fingerprint: string, filenames: string[]): GroupedEvent => ({
      ...groupedEvent(h.projectId, fingerprint),
      search: { text: '', tags: {}, filenames, functions: ['main'] },
    });
    await h.storage.storeBatch([withFrames('one', ['a.ts'])]);
    const batch = [withFrames('one', ['a.ts']), withFrames('one', ['b.ts']), withFrames('one', ['b.ts']), withFrames('two', ['c.ts'])];
    await h.storage.storeBatch(batch);
    const fields = [];
    for (const e of batch) fields.push((await columns(e.eventId)).fields);
    expect(fields[0], 'the issue\'s own frames').to.equal(null);
    expect([fields[1], fields[2]], 'other frames, once a batch').to.have.deep.members([{ f: ['b.ts'], fn: ['main'] }, null]);
    expect(fields[3], 'a new issue\'s frames').to.equal(null);
    const found = async (query: string) => {
      const page = await h.storage.searchIssues(h.projectId, { ast: parseSearchQuery(query), sort: 'last_seen', limit: 5 });
      return page.data.map((i) => i.fingerprint).sort();
    };
    expect(await found('stack.filename:a.ts')).to.deep.equal(['one']);
    expect(await found('stack.filename:b.ts')).to.deep.equal(['one']);
    expect(await found('stack.filename:c.*')).to.deep.equal(['two']);
    expect(await found('!stack.filename:c.ts')).to.deep.equal(['one']);
    expect(await found('!stack.filename:b.ts')).to.deep.equal(['two']);
  });
});
