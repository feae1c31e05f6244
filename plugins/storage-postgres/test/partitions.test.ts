import { expect } from 'chai';
import pg from 'pg';
import { ensurePartitions, partitionName, utcDay } from '../src/partitions.js';
import { silentLogger } from '../src/silent-logger.js';
import { createHarness, groupedEvent, type Harness } from './helpers.js';

describe('event partitions', () => {
  let h: Harness;
  let client: pg.Client;
  before(async () => {
    h = await createHarness();
    client = await h.sql();
  });
  after(async () => h?.close());

  const partitions = async () =>
    (await client.query<{ name: string }>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'events'::regclass`)).rows.map((r) => r.name);
  const partitionOf = async (eventId: string) =>
    (await client.query<{ part: string }>(`SELECT tableoid::regclass::text AS part FROM events WHERE event_id = $1`, [eventId])).rows[0]?.part;

  it('has daily partitions from yesterday to a week ahead, and a default one', async () => {
    const names = await partitions();
    const today = utcDay(new Date()).getTime();
    for (let d = -1; d <= 7; d++) expect(names).to.include(partitionName(new Date(today + d * 86_400_000)));
    expect(names).to.include('events_default');
  });

  it('puts out-of-range events in the default partition and moves them when their day gets a partition', async () => {
    const far = new Date(utcDay(new Date()).getTime() + 40 * 86_400_000 + 3_600_000);
    const event = groupedEvent(h.projectId, 'far-future', { receivedAt: far });
    await h.storage.storeBatch([event]);
    expect(await partitionOf(event.eventId)).to.equal('events_default');

    const created = await ensurePartitions(client, far, silentLogger(), { daysBehind: 0, daysAhead: 0 });
    expect(created).to.deep.equal([partitionName(far)]);
    expect(await partitionOf(event.eventId)).to.equal(partitionName(far));
    expect(await h.storage.getEvent(event.eventId, [h.projectId])).to.deep.include({ id: event.eventId });
    expect(await ensurePartitions(client, far, silentLogger(), { daysBehind: 0, daysAhead: 0 })).to.deep.equal([]);
  });

  it('compresses payloads in the new partitions too', async () => {
    const { rows } = await client.query<{ c: string }>(
      `SELECT DISTINCT a.attcompression AS c FROM pg_attribute a JOIN pg_inherits i ON i.inhrelid = a.attrelid
        WHERE i.inhparent = 'events'::regclass AND a.attname = 'payload'`,
    );
    expect(rows.map((r) => r.c)).to.have.length(1);
    expect(rows[0].c).to.be.oneOf(['l', 'p']);
  });
});
