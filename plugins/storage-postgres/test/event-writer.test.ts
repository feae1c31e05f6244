import { expect } from 'chai';
import type { GroupedEvent } from '@faultline/core';
import pg from 'pg';
import { createHarness, groupedEvent, nextReceivedAt, type Harness } from './helpers.js';

/** An events row as SQL reads it back: times as exact microseconds since 1970, ids as text. */
interface EventRow {
  project_id: number;
  event_id: string;
  issue_id: string;
  received_us: string;
  timestamp_us: string | null;
  level: string;
  release: string | null;
  environment: string | null;
  payload: string;
}

const microseconds = (iso: string) => String(BigInt(Date.parse(iso)) * 1000n);

describe('event rows (binary COPY)', () => {
  let h: Harness;
  let client: pg.Client;
  before(async () => {
    h = await createHarness();
    client = await h.sql();
  });
  after(async () => h?.close());

  async function rowsOf(events: GroupedEvent[]): Promise<Map<string, EventRow>> {
    const { rows } = await client.query<EventRow>(
      `SELECT project_id, replace(event_id::text, '-', '') AS event_id, issue_id::text AS issue_id,
              (extract(epoch FROM received_at) * 1000000)::bigint::text AS received_us,
              (extract(epoch FROM "timestamp") * 1000000)::bigint::text AS timestamp_us,
              level, release, environment, payload
         FROM events WHERE event_id = ANY ($1::uuid[])`,
      [events.map((e) => e.eventId)],
    );
    return new Map(rows.map((r) => [r.event_id, r]));
  }

  it('stores every column as sent, including text the text format had to escape', async () => {
    const tricky = groupedEvent(h.projectId, 'columns', {
      release: 'v1\tbeta\\x\n"quoted" \'single\'\r\\N',
      environment: 'prod ü 中文 🚀 \\ \t end',
      level: 'warning',
      message: 'tab\there, backslash \\N \\\\, newline\n, cr\r, quote " and unicode ü 中文 🚀 𝄞',
    });
    const bare = groupedEvent(h.projectId, 'columns', { timestamp: 'not a time' });
    const result = await h.storage.storeBatch([tricky, bare]);
    const rows = await rowsOf([tricky, bare]);

    for (const [e, stored] of [tricky, bare].map((e, i) => [e, result.stored[i]] as const)) {
      expect(rows.get(e.eventId)).to.deep.equal({
        project_id: h.projectId,
        event_id: e.eventId,
        issue_id: stored.issueId,
        received_us: microseconds(e.receivedAt),
        timestamp_us: e === bare ? null : microseconds(e.timestamp),
        level: e.level,
        release: e.release,
        environment: e.environment,
        payload: text(e.payload),
      });
    }
    expect(rows.get(bare.eventId)).to.include({ release: null, environment: null, timestamp_us: null });
  });

  it('keeps millisecond times exact, and stores NULL for a client time outside years 1 to 9999', async () => {
    const times = ['2024-02-29T23:59:59.123Z', '1999-12-31T23:59:59.999Z', '0001-01-01T00:00:00.001Z', '9999-12-31T23:59:59.999Z'];
    const kept = times.map((timestamp) => groupedEvent(h.projectId, 'times', { timestamp, receivedAt: new Date(nextReceivedAt().getTime() + 567) }));
    const tooLate = groupedEvent(h.projectId, 'times', { timestamp: '+010000-01-01T00:00:00.000Z' });
    await h.storage.storeBatch([...kept, tooLate]);
    const rows = await rowsOf([...kept, tooLate]);

    for (const e of kept) {
      expect(rows.get(e.eventId)).to.include({ timestamp_us: microseconds(e.timestamp), received_us: microseconds(e.receivedAt) });
    }
    expect(rows.get(tooLate.eventId)?.timestamp_us).to.equal(null);
  });

  it('writes payloads bigger than a chunk, and batches that span many chunks, byte for byte', async () => {
    // Sizes around the 64 KB chunk, multi-byte text so bytes and string lengths differ (in releases too, one
    // of them longer than a chunk), and a 300 KB payload between smaller rows so the rows after it start a
    // new chunk.
    const paddings = [300_000, 0, 65_400, 65_536, 66_000, 10, 131_072, 40_000, 40_000, 300_000];
    const events = [
      ...paddings.map((padding, i) => groupedEvent(h.projectId, `chunks-${i % 3}`, { padding, message: 'ü🚀'.repeat(i * 50) })),
      groupedEvent(h.projectId, 'chunks-0', { release: '🚀'.repeat(20_000), environment: '中'.repeat(30_000) }),
      ...Array.from({ length: 400 }, (_, i) =>
        groupedEvent(h.projectId, `chunks-${i % 3}`, {
          padding: (i * 397) % 3000,
          release: `r${i} ${'ü中🚀'.repeat(100 + (i % 200))}`,
          message: '中'.repeat(i),
        }),
      ),
    ];
    const result = await h.storage.storeBatch(events);
    expect(result.stored).to.have.length(events.length);

    const rows = await rowsOf(events);
    expect(rows.size).to.equal(events.length);
    for (const e of events) {
      const row = rows.get(e.eventId)!;
      expect(row.payload === text(e.payload), `payload of ${e.eventId}`).to.equal(true);
      expect(row.release === e.release && row.environment === e.environment, `release of ${e.eventId}`).to.equal(true);
    }
    expect(Math.max(...events.map((e) => e.payload.byteLength))).to.be.greaterThan(300_000);
  });

  it('reuses chunks only after a COPY ended: batches written at once, and one after another, stay intact', async () => {
    const batch = (tag: string) =>
      Array.from({ length: 60 }, (_, i) => groupedEvent(h.projectId, `reuse-${i % 4}`, { padding: 20_000 + i * 37, message: `${tag} ${i} ${'中'.repeat(i)}` }));
    const concurrent = [batch('a'), batch('b'), batch('c')];
    await Promise.all(concurrent.map((events) => h.storage.storeBatch(events)));
    const after = batch('d');
    await h.storage.storeBatch(after);
    const all = [...concurrent.flat(), ...after];
    const rows = await rowsOf(all);
    for (const e of all) expect(rows.get(e.eventId)?.payload === text(e.payload), `payload of ${e.eventId}`).to.equal(true);
  });
});

const text = (payload: Uint8Array) => new TextDecoder().decode(payload);
