import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { startPostgresTestServer as startTestServer, type PostgresTestServer as TestServer } from '@faultline/plugin-storage-postgres/testing';
import { definePlugin, type FaultlinePlugin, type JsonValue } from '../src/index.js';
import { errorEvent } from './helpers/http.js';
import { envelopeOf, fixture, storedEvent } from './sentry-helpers.js';

const id = () => randomUUID().replace(/-/g, '');
/** An error event with its own id. */
const withId = (type?: string) => {
  const eventId = id();
  return { ...errorEvent({ eventId, type }), event_id: eventId };
};
const moduleUrl = (name: string) => new URL(`./fixtures/ingest-modules/${name}.mjs`, import.meta.url);

/** A plugin that declares its per-event handlers as ingest modules. */
function modulePlugin(name: string, modules: [string, JsonValue?][]): FaultlinePlugin {
  return definePlugin({
    name,
    core: '^0.1.0',
    setup(ctx) {
      for (const [file, options] of modules) ctx.hooks.module(moduleUrl(file), options);
    },
  });
}

interface Sent {
  route: 'native' | 'envelope';
  body: Buffer | string;
}

async function send(server: TestServer, sent: Sent): Promise<{ status: number; body: any }> {
  const url = sent.route === 'native' ? `${server.url}/api/v1/events` : `${server.url}/api/${server.project.id}/envelope/?sentry_key=${server.project.publicKey}`;
  const headers: Record<string, string> = sent.route === 'native' ? { 'content-type': 'application/json', authorization: `Bearer ${server.project.publicKey}` } : {};
  const res = await fetch(url, { method: 'POST', body: sent.body, headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const envelope = (event: Record<string, unknown>) => envelopeOf({ event_id: event.event_id }, [{ header: { type: 'event' }, payload: JSON.stringify(event) }]);
const metricsOf = async (server: TestServer) => (await fetch(`${server.url}/metrics`)).text();
const eventStatus = async (server: TestServer, eventId: string) =>
  (await fetch(`${server.url}/api/v1/events/${eventId}`, { headers: { authorization: `Bearer ${server.project.secretToken}` } })).status;

/** How each stored payload is kept: as sent (`[1, recipe, event]`) or serialized. */
async function payloadForms(server: TestServer): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: server.database.url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT left(payload, 1) AS form, count(*)::int AS n FROM events GROUP BY 1 ORDER BY 1`);
    return Object.fromEntries(rows.map((r) => [r.form === '[' ? 'as sent' : 'serialized', r.n]));
  } finally {
    await client.end();
  }
}

/** A stored event without what differs between two servers: when it arrived, ids. */
function strip(stored: any) {
  const { receivedAt, issueId, projectId, event, ...rest } = stored;
  const { timestamp, ...fields } = event;
  return { ...rest, event: fields };
}

/**
 * Per-event handlers declared as modules run in the ingest threads (and on the main thread when threads
 * are off): a server of each kind gets the same requests and must answer and store the same.
 */
describe('ingest modules: plugins hooks in ingest threads', function () {
  this.timeout(60_000);

  describe('a scrubbing and a filtering module', () => {
    let threaded: TestServer;
    let inline: TestServer;
    const plugins = () => [
      modulePlugin('test-scrubber', [['scrub-fields', { fields: ['password', 'card'] }]]),
      modulePlugin('test-filter', [['drop-transaction', { transaction: 'GET /healthz' }]]),
    ];

    before(async () => {
      [threaded, inline] = await Promise.all([startTestServer({ ingestThreads: 2, plugins: plugins() }), startTestServer({ ingestThreads: 0, plugins: plugins() })]);
    });
    after(async () => Promise.all([threaded?.stop(), inline?.stop()]));

    async function both(sent: Sent) {
      const [a, b] = await Promise.all([send(threaded, sent), send(inline, sent)]);
      expect(a, 'ingest threads answer as the main thread does').to.deep.equal(b);
      return a;
    }

    it('scrubs, drops and groups the same on ingest threads and on the main thread', async () => {
      const secret = { ...withId(), extra: { password: 'hunter2', plan: 'pro' }, tags: { card: '4242', tenant: 'a' } };
      const health = { ...withId(), transaction: 'GET /healthz' };
      const tenant = { ...withId(), tags: { tenant: 'b' } };
      const sentry = { ...fixture('python-django-chained'), event_id: id(), extra: { password: 'from sentry' } };
      const sentryHealth = { ...health, event_id: id() };
      const cases: Sent[] = [
        { route: 'native', body: JSON.stringify(secret) },
        { route: 'native', body: JSON.stringify({ events: [health, tenant] }) },
        { route: 'envelope', body: envelope(sentry) },
        { route: 'envelope', body: envelope(sentryHealth) },
      ];
      for (const sent of cases) {
        const answer = await both(sent);
        expect(answer.status, JSON.stringify(answer.body)).to.be.oneOf([200, 202]);
      }
      for (const eventId of [secret.event_id, tenant.event_id, sentry.event_id]) {
        const [a, b] = await Promise.all([storedEvent(threaded, eventId), storedEvent(inline, eventId)]);
        expect(strip(a)).to.deep.equal(strip(b));
        expect(JSON.stringify(a.event)).not.to.include('hunter2').and.not.to.include('4242').and.not.to.include('from sentry');
      }
      const scrubbed = await storedEvent(threaded, secret.event_id);
      expect(scrubbed.event.extra).to.deep.equal({ password: '[Filtered]', plan: 'pro' });
      expect(scrubbed.event.tags).to.deep.equal({ card: '[Filtered]', tenant: 'a' });
      for (const server of [threaded, inline]) {
        for (const eventId of [health.event_id, sentryHealth.event_id]) expect(await eventStatus(server, eventId), `${eventId} was dropped`).to.equal(404);
        expect(await metricsOf(server)).to.match(/^faultline_events_filtered_total 2$/m);
      }
    });

    it('keeps no event as sent once a module may change it: every payload is serialized', async () => {
      expect(await payloadForms(threaded)).to.deep.equal({ serialized: 3 });
      expect(await payloadForms(inline)).to.deep.equal({ serialized: 3 });
    });
  });

  it('runs module handlers on the ingest threads, and on the main thread for faultline.ingest()', async () => {
    const server = await startTestServer({ ingestThreads: 1, plugins: [modulePlugin('where', [['where-am-i']])] });
    try {
      const eventId = id();
      expect((await send(server, { route: 'envelope', body: envelope({ event_id: eventId, message: 'where' }) })).status).to.equal(200);
      expect((await storedEvent(server, eventId)).event.tags).to.deep.equal({ thread: 'ingest' });
      const direct = await server.faultline.ingest(server.project.id, [{ event_id: id(), message: 'direct' }]);
      expect((await storedEvent(server, direct.ids[0])).event.tags).to.deep.equal({ thread: 'main' });
    } finally {
      await server.stop();
    }
  });

  it('keeps events as sent when modules only filter or group', async () => {
    const server = await startTestServer({ ingestThreads: 1, plugins: [modulePlugin('test-filter', [['drop-transaction', { transaction: 'GET /healthz' }]])] });
    try {
      const eventId = id();
      expect((await send(server, { route: 'envelope', body: envelope({ ...errorEvent(), event_id: eventId, tags: { tenant: 'x' } }) })).status).to.equal(200);
      await storedEvent(server, eventId);
      expect(await payloadForms(server)).to.deep.equal({ 'as sent': 1 });
    } finally {
      await server.stop();
    }
  });

  it('runs modules and in-process taps in plugin order, all on the main thread when a plugin taps', async () => {
    const tapper = definePlugin({
      name: 'tapper',
      core: '^0.1.0',
      setup: (ctx) => void ctx.hooks.tap('ingest:scrub', (event) => ({ ...event, tags: { ...event.tags, seen: String(event.tags.password) } })),
    });
    const server = await startTestServer({ ingestThreads: 2, plugins: [modulePlugin('where', [['where-am-i']]), modulePlugin('scrubber', [['scrub-fields', { fields: ['password'] }]]), tapper] });
    try {
      const eventId = id();
      expect((await send(server, { route: 'envelope', body: envelope({ event_id: eventId, message: 'm', tags: { password: 'p' } }) })).status).to.equal(200);
      expect((await storedEvent(server, eventId)).event.tags).to.deep.equal({ password: '[Filtered]', thread: 'main', seen: '[Filtered]' });
    } finally {
      await server.stop();
    }
  });

  describe('failing handlers, with threads and without', () => {
    let threaded: TestServer;
    let inline: TestServer;
    const hooks = ['normalize', 'scrub', 'filter', 'fingerprint'];
    const plugins = () => [modulePlugin('exploder', hooks.map((tag) => ['explode', { hook: `ingest:${tag}`, tag }]))];

    before(async () => {
      [threaded, inline] = await Promise.all([startTestServer({ ingestThreads: 2, plugins: plugins() }), startTestServer({ ingestThreads: 0, plugins: plugins() })]);
    });
    after(async () => Promise.all([threaded?.stop(), inline?.stop()]));

    async function both(sent: Sent) {
      const [a, b] = await Promise.all([send(threaded, sent), send(inline, sent)]);
      expect(a, 'ingest threads answer as the main thread does').to.deep.equal(b);
      return a;
    }
    const exploding = (tag: string) => ({ ...withId('ExplodeError'), tags: { explode: tag } });

    it('rejects an event whose scrub or filter handler throws, with a coded error naming the hook and the plugin', async () => {
      for (const tag of ['scrub', 'filter']) {
        const single = await both({ route: 'envelope', body: envelope(exploding(tag)) });
        expect(single.status).to.equal(500);
        expect(single.body.error.code).to.equal('FAULTLINE_ERR_INGEST_HOOK_FAILED');
        expect(single.body.error.message).to.include(`ingest:${tag}`).and.include('exploder');
        const good = withId();
        const batch = await both({ route: 'native', body: JSON.stringify({ events: [exploding(tag), good] }) });
        expect(batch.status).to.equal(202);
        expect(batch.body.ids).to.deep.equal([good.event_id]);
        expect(batch.body.rejected.map((r: any) => [r.index, r.error.code])).to.deep.equal([[0, 'FAULTLINE_ERR_INGEST_HOOK_FAILED']]);
        await storedEvent(threaded, good.event_id);
      }
    });

    it('stores an event whose normalize or fingerprint handler throws, without that handler\'s touch', async () => {
      const normalize = exploding('normalize');
      expect((await both({ route: 'native', body: JSON.stringify(normalize) })).status).to.equal(202);
      for (const server of [threaded, inline]) {
        expect((await storedEvent(server, normalize.event_id)).event.tags).to.deep.equal({ explode: 'normalize', by_scrub: 'yes' });
      }
      // The fingerprint handler adds a part; when it throws, the default grouping stands: another issue.
      const fingerprint = exploding('fingerprint');
      expect((await both({ route: 'native', body: JSON.stringify(fingerprint) })).status).to.equal(202);
      for (const server of [threaded, inline]) {
        const [grouped, ungrouped] = await Promise.all([storedEvent(server, normalize.event_id), storedEvent(server, fingerprint.event_id)]);
        expect(grouped.issueId).not.to.equal(ungrouped.issueId);
      }
    });

    it('logs and counts every failure by plugin and hook, from the ingest threads too', async () => {
      for (const server of [threaded, inline]) {
        const metrics = await metricsOf(server);
        for (const [hook, n] of [['normalize', 1], ['scrub', 2], ['filter', 2], ['fingerprint', 1]] as const) {
          expect(metrics).to.include(`faultline_hook_failures_total{hook="ingest:${hook}",plugin="exploder"} ${n}`);
        }
        expect(metrics).to.match(/faultline_events_rejected_total\{code="FAULTLINE_ERR_INGEST_HOOK_FAILED"\} 4/);
      }
    });
  });
});
