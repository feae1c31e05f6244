import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { resolveConfig } from '../src/resolve-config.js';
import { errorEvent } from './helpers/http.js';
import { envelopeOf, fixture, storedEvent } from './sentry-helpers.js';

const id = () => randomUUID().replace(/-/g, '');

interface Sent {
  route: 'native' | 'envelope' | 'store';
  body: Buffer | string;
  headers?: Record<string, string>;
}

/**
 * Ingest threads (`ingestThreads` > 0) and the main thread (0) must be indistinguishable from outside:
 * the same answers to good and hostile bodies, the same stored events and groups. Each request goes to
 * one server of each kind, and the answers are compared whole.
 */
describe('ingest threads: same answers and same events as the main thread', function () {
  this.timeout(60_000);
  let threaded: PostgresTestServer;
  let inline: PostgresTestServer;

  before(async () => {
    // Core's scrubbing off, so that events can be kept as sent (scrubbing.test.ts compares threads on and off with it).
    [threaded, inline] = await Promise.all([startPostgresTestServer({ ingestThreads: 2, scrubbing: false }), startPostgresTestServer({ ingestThreads: 0, scrubbing: false })]);
  });
  after(async () => Promise.all([threaded?.stop(), inline?.stop()]));

  async function send(server: PostgresTestServer, sent: Sent): Promise<{ status: number; body: any }> {
    const url =
      sent.route === 'native'
        ? `${server.url}/api/v1/events`
        : `${server.url}/api/${server.project.id}/${sent.route}/?sentry_key=${server.project.publicKey}&sentry_version=7`;
    const headers: Record<string, string> =
      sent.route === 'native' ? { 'content-type': 'application/json', authorization: `Bearer ${server.project.publicKey}` } : {};
    const res = await fetch(url, { method: 'POST', body: sent.body, headers: { ...headers, ...sent.headers } });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  async function both(sent: Sent) {
    const [a, b] = await Promise.all([send(threaded, sent), send(inline, sent)]);
    expect(a, 'ingest threads answer as the main thread does').to.deep.equal(b);
    return a;
  }

  const envelope = (event: object) => envelopeOf({ event_id: (event as any).event_id }, [{ header: { type: 'event' }, payload: JSON.stringify(event) }]);

  it('stores the same event, grouped the same, from native, envelope and store bodies', async () => {
    const sentry = { ...fixture('python-django-chained'), event_id: id() };
    const cases: Sent[] = [
      { route: 'native', body: JSON.stringify(errorEvent({ eventId: id() })) },
      { route: 'native', body: JSON.stringify({ events: [errorEvent({ eventId: id() }), { message: 'batch of two', event_id: id() }] }) },
      { route: 'envelope', body: envelope(sentry) },
      { route: 'envelope', body: gzipSync(envelope({ ...sentry, event_id: id() })), headers: { 'content-encoding': 'gzip' } },
      { route: 'store', body: JSON.stringify({ ...sentry, event_id: id() }) },
      // Kept as sent by the threads and normalized when read: the id from the envelope header, the
      // client's address for {{auto}}, strings trimmed, breadcrumbs unwrapped, a timestamp in seconds.
      {
        route: 'envelope',
        body: envelopeOf({ event_id: id() }, [{
          header: { type: 'event' },
          payload: JSON.stringify({
            message: 'no id of its own',
            timestamp: Date.now() / 1000,
            user: { ip_address: '{{auto}}' },
            extra: { long: 'z'.repeat(20_000) },
            breadcrumbs: { values: [{ message: 'one', level: 'warn' }] },
          }),
        }]),
      },
      // Not UTF-8 inside a string: read with a replacement character, then serialized, not kept as sent.
      { route: 'envelope', body: Buffer.concat([Buffer.from(`{}\n{"type":"event"}\n{"event_id":"${id()}","message":"bad `), Buffer.from([0xff, 0xfe]), Buffer.from(' bytes"}')]) },
    ];
    for (const sent of cases) {
      const answer = await both(sent);
      expect(answer.status, JSON.stringify(answer.body)).to.be.oneOf([200, 202]);
      const ids: string[] = answer.body.ids ?? [answer.body.id];
      for (const eventId of ids) {
        const [a, b] = await Promise.all([storedEvent(threaded, eventId), storedEvent(inline, eventId)]);
        expect(strip(a)).to.deep.equal(strip(b));
      }
    }
  });

  it('keeps events as sent (normalized when read) on a thread and on the main thread alike', async () => {
    const forms = async (server: PostgresTestServer) => {
      const client = new pg.Client({ connectionString: server.database.url });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT left(payload, 1) AS form, count(*)::int AS n FROM events GROUP BY 1 ORDER BY 1`);
        return Object.fromEntries(rows.map((r) => [r.form === '[' ? 'as sent' : 'serialized', r.n]));
      } finally {
        await client.end();
      }
    };
    // From the test above: 5 single events and the batch's two kept as sent; the event with bad bytes serialized.
    expect(await forms(threaded)).to.deep.equal({ 'as sent': 7, serialized: 1 });
    expect(await forms(inline)).to.deep.equal({ 'as sent': 7, serialized: 1 });
  });

  it('answers hostile bodies with the same coded errors and paths', async () => {
    const badFrame: any = errorEvent();
    badFrame.exception.values[0].stacktrace.frames[1].lineno = 'seventeen';
    const cases: Sent[] = [
      { route: 'native', body: '{"exception": {' },
      { route: 'native', body: '' },
      { route: 'native', body: JSON.stringify({ events: [] }) },
      { route: 'native', body: JSON.stringify(badFrame) },
      { route: 'native', body: JSON.stringify({ events: [badFrame, errorEvent({ eventId: id() })] }) },
      { route: 'native', body: JSON.stringify({ events: [badFrame, badFrame] }) },
      { route: 'native', body: `{"message":"deep","extra":${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}}` },
      { route: 'native', body: JSON.stringify({ message: 'short', extra: { blob: 'y'.repeat(1_100_000) } }) },
      { route: 'envelope', body: 'not an envelope' },
      { route: 'envelope', body: '{}\n{"type":"event","length":999}\n{}' },
      { route: 'envelope', body: envelope(badFrame) },
      { route: 'envelope', body: '{}\n{"type":"event"}\n{"message": ' },
      { route: 'envelope', body: Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x0a, 0x01]) },
      { route: 'envelope', body: Buffer.from('not gzip at all'), headers: { 'content-encoding': 'gzip' } },
      { route: 'envelope', body: gzipSync(Buffer.alloc(25 * 1024 * 1024)), headers: { 'content-encoding': 'gzip' } },
      { route: 'envelope', body: envelope(badFrame), headers: { 'content-encoding': 'zstd' } },
      { route: 'store', body: gzipSync('{"message": '), headers: { 'content-encoding': 'gzip' } },
      { route: 'store', body: '[1,2]' },
      { route: 'store', body: 'bm90IHpsaWI=' },
    ];
    for (const sent of cases) {
      const answer = await both(sent);
      expect(answer.status, JSON.stringify(answer.body)).to.be.within(200, 499);
    }
  });

  it('runs per-event hooks on the main thread: a scrub hook sees every event even with threads', async () => {
    const server = await startPostgresTestServer({ ingestThreads: 2 });
    try {
      server.faultline.hooks.tap('ingest:scrub', (event) => ({ ...event, tags: { ...event.tags, scrubbed: 'yes' } }));
      const eventId = id();
      const res = await fetch(`${server.url}/api/${server.project.id}/envelope/?sentry_key=${server.project.publicKey}`, {
        method: 'POST',
        body: envelope({ event_id: eventId, message: 'hooked', tags: { password: 'hunter2' } }),
      });
      expect(res.status).to.equal(200);
      expect((await storedEvent(server, eventId)).event.tags).to.deep.equal({ password: '[Filtered]', scrubbed: 'yes' }); // core's scrubbing ran first
    } finally {
      await server.stop();
    }
  });

  it('ends its threads on stop', async () => {
    const workers = () => readdirSync('/proc/self/task').length; // OS threads of this process (Linux)
    const before = workers();
    const server = await startPostgresTestServer({ ingestThreads: 2 });
    const res = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      body: JSON.stringify(errorEvent()),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.project.publicKey}` },
    });
    expect(res.status).to.equal(202);
    expect(workers()).to.be.greaterThan(before);
    expect(await (await fetch(`${server.url}/metrics`)).text()).to.match(/^faultline_ingest_thread_waiting 0$/m);
    await server.stop();
    for (let i = 0; i < 50 && workers() > before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(workers()).to.equal(before);
  });

  it('refuses a thread count that is not a whole number from 0 to 64', () => {
    for (const bad of [-1, 1.5, 65, Number.NaN]) {
      expect(() => resolveConfig({ ingestThreads: bad }, {})).to.throw(/ingestThreads/);
    }
    expect(() => resolveConfig({}, { FAULTLINE_INGEST_THREADS: 'many' })).to.throw(/FAULTLINE_INGEST_THREADS/);
    expect(resolveConfig({}, { FAULTLINE_INGEST_THREADS: '0' }).ingestThreads).to.equal(0);
    expect(resolveConfig({}, {}).ingestThreads).to.be.within(1, 4);
  });
});

/** A stored event without what differs between two servers: when it arrived (and so its default timestamp), ids. */
function strip(stored: any) {
  const { receivedAt, issueId, projectId, event, ...rest } = stored;
  const { timestamp, ...fields } = event;
  return { ...rest, event: fields };
}
