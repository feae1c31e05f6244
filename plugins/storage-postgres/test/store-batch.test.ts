import { expect } from 'chai';
import pg from 'pg';
import { storeBatch } from '../src/store-batch.js';
import { createHarness, groupedEvent, newEventId, type Harness, eventOf, receivedMs } from './helpers.js';

describe('storeBatch', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('creates a new issue with the batch count and first/last seen from receivedAt', async () => {
    const events = [groupedEvent(h.projectId, 'new-1'), groupedEvent(h.projectId, 'new-1'), groupedEvent(h.projectId, 'new-1')];
    const result = await h.storage.storeBatch(events);
    expect(result.duplicates).to.equal(0);
    expect(result.stored).to.have.length(3);
    expect(result.created).to.have.length(1);
    const issue = result.created[0];
    expect(issue).to.include({ count: 3, status: 'unresolved', fingerprint: 'new-1', projectId: h.projectId });
    expect(issue.firstSeen).to.equal(events[0].receivedAt);
    expect(issue.lastSeen).to.equal(events[2].receivedAt);
    expect(result.stored.every((s) => s.issueId === issue.id)).to.equal(true);
    expect(result.stored.map((s) => s.eventId)).to.deep.equal(events.map((e) => e.eventId));
  });

  it('adds counts to an existing issue; level and release follow the latest event, title the first', async () => {
    await h.storage.storeBatch([groupedEvent(h.projectId, 'grow', { title: 'first title', release: '1.0', level: 'warning' })]);
    const result = await h.storage.storeBatch([
      groupedEvent(h.projectId, 'grow', { title: 'later title', release: '1.1', level: 'error' }),
      groupedEvent(h.projectId, 'grow', { title: 'latest title', release: '1.2', level: 'fatal' }),
    ]);
    expect(result.created).to.have.length(0);
    const issue = await h.storage.getIssue(result.stored[0].issueId);
    expect(issue).to.include({ count: 3, title: 'first title', release: '1.2', level: 'fatal' });
  });

  it('drops duplicates within a batch and across batches, counting each event once', async () => {
    const e = groupedEvent(h.projectId, 'dup');
    const first = await h.storage.storeBatch([e, { ...e }, groupedEvent(h.projectId, 'dup')]);
    expect(first.stored).to.have.length(2);
    expect(first.duplicates).to.equal(1);
    const retry = await h.storage.storeBatch([{ ...e, receivedAt: new Date(receivedMs(e) + 3_600_000).toISOString() }]);
    expect(retry).to.deep.equal({ stored: [], duplicates: 1, created: [], regressed: [] });
    const issue = await h.storage.getIssue(first.stored[0].issueId);
    expect(issue?.count).to.equal(2);
  });

  it('accepts event ids in uuid form and returns them as 32 lowercase hex', async () => {
    const hex = newEventId();
    const dashed = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`.toUpperCase();
    const result = await h.storage.storeBatch([groupedEvent(h.projectId, 'ids', { eventId: dashed })]);
    expect(result.stored[0].eventId).to.equal(hex);
  });

  it('reports a regression when a resolved issue gets an event; ignored issues stay ignored', async () => {
    const resolved = (await h.storage.storeBatch([groupedEvent(h.projectId, 'reg')])).created[0];
    const ignored = (await h.storage.storeBatch([groupedEvent(h.projectId, 'ign')])).created[0];
    await h.storage.updateIssue(resolved.id, { status: 'resolved' });
    await h.storage.updateIssue(ignored.id, { status: 'ignored' });

    const result = await h.storage.storeBatch([groupedEvent(h.projectId, 'reg'), groupedEvent(h.projectId, 'ign')]);
    expect(result.regressed.map((i) => i.id)).to.deep.equal([resolved.id]);
    expect(result.regressed[0]).to.include({ status: 'unresolved', count: 2 });
    expect((await h.storage.getIssue(ignored.id))?.status).to.equal('ignored');

    const again = await h.storage.storeBatch([groupedEvent(h.projectId, 'reg')]);
    expect(again.regressed).to.have.length(0);
  });

  it('stores text that needs escaping and strange client timestamps intact', async () => {
    const e = groupedEvent(h.projectId, 'escape', {
      release: 'v1\tbeta\\x',
      environment: 'line\nbreak',
      message: 'tab\there, backslash \\N, newline\n, cr\r, quote " and unicode ü 🚀',
      timestamp: 'not a time',
    });
    await h.storage.storeBatch([e]);
    const stored = await h.storage.getEvent(e.eventId, [h.projectId]);
    expect(stored?.event).to.deep.equal(eventOf(e));
    const issue = await h.storage.getIssue((await h.storage.getEvent(e.eventId, null))!.issueId);
    expect(issue).to.include({ release: 'v1\tbeta\\x', environment: 'line\nbreak' });
  });

  it('counts distinct users per issue', async () => {
    const r = await h.storage.storeBatch([
      groupedEvent(h.projectId, 'users', { userKey: 'u1' }),
      groupedEvent(h.projectId, 'users', { userKey: 'u1' }),
      groupedEvent(h.projectId, 'users', { userKey: 'u2' }),
      groupedEvent(h.projectId, 'users', { userKey: null }),
    ]);
    await h.storage.storeBatch([groupedEvent(h.projectId, 'users', { userKey: 'u2' }), groupedEvent(h.projectId, 'users', { userKey: 'u3' })]);
    const issue = await h.storage.getIssue(r.created[0].id);
    expect(issue).to.include({ userCount: 3, count: 6 });
  });

  it('stores a batch on a connection whose prepared statements were dropped (DISCARD ALL by a pooler)', async () => {
    const client = new pg.Client({ connectionString: h.db.url });
    await client.connect();
    try {
      const first = await storeBatch(client, [groupedEvent(h.projectId, 'discarded')]);
      await client.query('DISCARD ALL');
      const second = await storeBatch(client, [groupedEvent(h.projectId, 'discarded'), groupedEvent(h.projectId, 'discarded')]);
      expect(second.stored).to.have.length(2);
      expect(second.stored[0].issueId).to.equal(first.created[0].id);
      expect((await h.storage.getIssue(first.created[0].id))?.count).to.equal(3);
    } finally {
      await client.end();
    }
  });

  it('stores batches behind a pooler that gives each transaction another session (PgBouncer transaction mode)', async () => {
    const client = new pg.Client({ connectionString: h.db.url });
    await client.connect();
    // Every transaction starts on a "fresh server session": whatever was prepared before is gone.
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: typeof query }).query = (...args) =>
      typeof args[0] === 'string' && args[0].startsWith('BEGIN') ? (query('DEALLOCATE ALL') as Promise<unknown>).then(() => query(...args)) : query(...args);
    try {
      for (let i = 0; i < 3; i++) {
        const result = await storeBatch(client, [groupedEvent(h.projectId, 'pooled', { userKey: `u${i}` })]);
        expect(result.stored).to.have.length(1);
      }
      const issue = (await (await h.sql()).query(`SELECT count, user_count FROM issues WHERE fingerprint = 'pooled'`)).rows[0];
      expect(issue).to.deep.equal({ count: '3', user_count: 3 });
    } finally {
      await client.end();
    }
  });

  it('stores a batch of 5000 events in one call', async () => {
    const events = Array.from({ length: 5000 }, (_, i) => groupedEvent(h.projectId, `bulk-${i % 50}`, { padding: 2000 }));
    const result = await h.storage.storeBatch(events);
    expect(result.stored).to.have.length(5000);
    expect(result.created).to.have.length(50);
    expect(result.created.every((i) => i.count === 100)).to.equal(true);
  });

  it('lets concurrent batches on overlapping fingerprints finish with exact counts', async () => {
    const fingerprints = ['c-a', 'c-b', 'c-c', 'c-d', 'c-e'];
    const batches = Array.from({ length: 8 }, (_, b) =>
      Array.from({ length: 200 }, (_, i) => groupedEvent(h.projectId, fingerprints[(i + b) % fingerprints.length])),
    );
    // the same retried event in two concurrent batches is stored once
    const shared = groupedEvent(h.projectId, 'c-a');
    batches[0].push(shared);
    batches[1].push({ ...shared });

    const results = await Promise.all(batches.map((batch) => h.storage.storeBatch(batch)));
    expect(results.reduce((n, r) => n + r.stored.length, 0)).to.equal(8 * 200 + 1);
    expect(results.reduce((n, r) => n + r.duplicates, 0)).to.equal(1);
    expect(results.reduce((n, r) => n + r.created.length, 0)).to.equal(fingerprints.length);
    const counts = Object.fromEntries(
      (await Promise.all(results[0].stored.map((s) => h.storage.getIssue(s.issueId)))).map((i) => [i!.fingerprint, i!.count]),
    );
    expect(counts).to.deep.equal({ 'c-a': 321, 'c-b': 320, 'c-c': 320, 'c-d': 320, 'c-e': 320 });
  });

  it('keeps users, regressions and both rollups exact under concurrent overlapping batches', async () => {
    const fingerprints = ['u-a', 'u-b', 'u-c', 'u-d'];
    const seeded = (await h.storage.storeBatch(fingerprints.map((f) => groupedEvent(h.projectId, f, { userKey: 'u0' })))).created;
    for (const issue of seeded) await h.storage.updateIssue(issue.id, { status: 'resolved' });
    const batches = Array.from({ length: 8 }, (_, b) =>
      Array.from({ length: 120 }, (_, i) =>
        groupedEvent(h.projectId, fingerprints[(i * 7 + b) % fingerprints.length], { userKey: `u${(i + b * 13) % 50}` }),
      ),
    );
    const times = batches.flat().map(receivedMs);
    const query = { since: new Date(Math.min(...times) - 7_200_000), until: new Date(Math.max(...times) + 3_600_000), interval: 'hour' as const };
    const sum = (points: { count: number }[]) => points.reduce((n, p) => n + p.count, 0);
    const projectBefore = sum(await h.storage.eventStats(h.projectId, query));

    const results = await Promise.all(batches.map((batch) => h.storage.storeBatch(batch)));
    const regressed = results.flatMap((r) => r.regressed.map((i) => i.fingerprint)).sort();
    expect(regressed).to.deep.equal([...fingerprints].sort());

    const all = [...fingerprints.map((f) => ({ f, u: 'u0' })), ...batches.flat().map((e) => ({ f: e.fingerprint, u: e.userKey! }))];
    for (const issue of seeded) {
      const mine = all.filter((x) => x.f === issue.fingerprint);
      const now = await h.storage.getIssue(issue.id);
      expect(now).to.include({ count: mine.length, userCount: new Set(mine.map((x) => x.u)).size, status: 'unresolved' });
    }
    const perIssue = await Promise.all(seeded.map((i) => h.storage.eventStats(h.projectId, { ...query, issueId: i.id })));
    expect(perIssue.map(sum).reduce((a, b) => a + b, 0)).to.equal(all.length);
    expect(sum(await h.storage.eventStats(h.projectId, query)) - projectBefore).to.equal(8 * 120);
  });
});

