import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '@faultline/plugin-storage-postgres/testing';
import { cluster, type Cluster } from './helpers/cluster.js';
import { readStored, sql } from './helpers/database.js';
import { errorEvent, postEnvelope, postEvents } from './helpers/events.js';
import { clearPrefix, REDIS_URL, testPrefix } from './helpers/redis.js';

/** Events per minute every key may send (FAULTLINE_RATE_LIMIT_PER_MINUTE). */
const LIMIT = 1000;
/** The steady project's traffic: well under LIMIT in all, so no window of the limiter can refuse it. */
const STEADY = { clients: 2, requests: 40, perRequest: 5, pauseMs: 20 };
/** The flood: many clients with no pause, until each of its routes has met this many 429s. */
const FLOOD = { clients: 16, perRequest: 10, refusalsPerRoute: 10 };

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 100));
}

async function storedIds(databaseUrl: string, projectId: number): Promise<string[]> {
  const { rows } = await sql(databaseUrl, 'SELECT event_id::text AS id FROM events WHERE project_id = $1', [projectId]);
  return rows.map((r) => String(r.id).replace(/-/g, '').toLowerCase()).sort();
}

/**
 * One key sending far past its limit on an ingest node and worker (real child processes on Redis and
 * PostgreSQL) while another project sends at its usual rate: the flood is turned away with 429s, the
 * other project is not touched. How long the other project's requests take meanwhile is measured by
 * `npm run bench:scale -- --setups flood`; tests do not assert on time.
 */
describe('queue-redis: one key flooding past its limit beside another project', function () {
  this.timeout(180_000);
  let database: TestDatabase;
  let prefix: string;
  let nodes: Cluster | undefined;
  beforeEach(async () => {
    database = await createTestDatabase();
    prefix = testPrefix();
  });
  afterEach(async () => {
    await nodes?.close();
    await database.drop();
    await clearPrefix(prefix);
  });

  it('the flooding key gets 429s with Retry-After (and X-Sentry-Rate-Limits on envelopes) and loses nothing it had acknowledged; the other project gets every event in, once', async () => {
    nodes = await cluster(database.url, { url: REDIS_URL, prefix }, { FAULTLINE_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    const flooder = await nodes.project('Flooder');
    const steady = await nodes.project('Steady');
    const ingest = await nodes.ingest();
    await nodes.worker();

    const steadyStatuses: number[] = [];
    const steadyAcknowledged: string[] = [];
    let steadyDone = false;
    let next = 0;
    async function steadyClient(): Promise<void> {
      while (next < STEADY.requests) {
        next++;
        const events = Array.from({ length: STEADY.perRequest }, () => errorEvent('B'));
        const res = await postEvents(ingest.url, steady.publicKey, events);
        steadyStatuses.push(res.status);
        if (res.status === 202) steadyAcknowledged.push(...res.body.ids);
        await new Promise((resolve) => setTimeout(resolve, STEADY.pauseMs));
      }
    }

    const flood = { acknowledged: [] as string[], refused: { native: 0, envelope: 0 }, statuses: {} as Record<number, number>, badHeaders: [] as string[] };
    const flooding = () => !steadyDone || flood.refused.native < FLOOD.refusalsPerRoute || flood.refused.envelope < FLOOD.refusalsPerRoute;
    async function floodClient(c: number): Promise<void> {
      for (let i = 0; flooding(); i++) {
        const envelope = (i + c) % 2 === 1;
        const res = envelope
          ? await postEnvelope(ingest.url, flooder.id, flooder.publicKey, errorEvent('A'))
          : await postEvents(ingest.url, flooder.publicKey, Array.from({ length: FLOOD.perRequest }, () => errorEvent('A')));
        flood.statuses[res.status] = (flood.statuses[res.status] ?? 0) + 1;
        if (res.status === 202) flood.acknowledged.push(...res.body.ids);
        else if (res.status === 200) flood.acknowledged.push(res.body.id);
        else if (res.status === 429) {
          flood.refused[envelope ? 'envelope' : 'native']++;
          const retryAfter = res.headers.get('retry-after');
          if (!/^[1-9]\d*$/.test(retryAfter ?? '')) flood.badHeaders.push(`Retry-After: ${retryAfter}`);
          const sentry = res.headers.get('x-sentry-rate-limits');
          if (envelope && !/^[1-9]\d*:[a-z;]*\berror\b[a-z;]*:key$/.test(sentry ?? '')) flood.badHeaders.push(`X-Sentry-Rate-Limits: ${sentry}`);
        }
      }
    }

    const floodDone = Promise.all(Array.from({ length: FLOOD.clients }, (_, c) => floodClient(c)));
    await Promise.all(Array.from({ length: STEADY.clients }, steadyClient));
    steadyDone = true;
    await floodDone;

    // The flood: refused with the headers clients back off on, never with a 500 (a 503 would be allowed).
    expect(flood.badHeaders).to.deep.equal([]);
    expect(Object.keys(flood.statuses).map(Number).filter((s) => ![200, 202, 429, 503].includes(s)), JSON.stringify(flood.statuses)).to.deep.equal([]);
    expect(flood.refused.native).to.be.at.least(FLOOD.refusalsPerRoute);
    expect(flood.refused.envelope).to.be.at.least(FLOOD.refusalsPerRoute);
    expect(flood.acknowledged.length).to.be.greaterThan(0); // at most LIMIT per minute the run lasted
    // The steady project: every request taken at once, nothing refused or retried.
    expect(steadyStatuses.filter((s) => s !== 202)).to.deep.equal([]);
    expect(steadyStatuses).to.have.length(STEADY.requests);

    // What each got a 2xx for is stored, exactly once, and nothing else.
    const steadyEvents = STEADY.requests * STEADY.perRequest;
    await until(async () => (await readStored(database.url, steady.id)).events >= steadyEvents);
    await until(async () => (await readStored(database.url, flooder.id)).events >= flood.acknowledged.length);
    expect(await readStored(database.url, steady.id)).to.deep.equal({ events: steadyEvents, distinctEvents: steadyEvents, issueCounts: { ScaleErrorB: steadyEvents } });
    expect(await storedIds(database.url, steady.id)).to.deep.equal([...steadyAcknowledged].sort());
    const flooded = flood.acknowledged.length;
    expect(await readStored(database.url, flooder.id)).to.deep.equal({ events: flooded, distinctEvents: flooded, issueCounts: { ScaleErrorA: flooded } });
    expect(await storedIds(database.url, flooder.id)).to.deep.equal([...flood.acknowledged].sort());
  });
});
