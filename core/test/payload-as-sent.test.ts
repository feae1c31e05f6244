import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { definePlugin } from '../src/index.js';
import { request } from './helpers/http.js';
import { envelopeOf, storedEvent } from './sentry-helpers.js';

const CARD = '4111 1111 1111 1111';
const id = () => randomUUID().replace(/-/g, '');

/** A plugin whose ingest module scrubs `extra.internal_note`, declared copy-on-write. */
const copyOnWriteScrubber = definePlugin({
  name: 'cow-scrubber',
  core: '^0.1.0',
  setup(ctx) {
    ctx.hooks.module(new URL('./fixtures/ingest-modules/scrub-copy-on-write.mjs', import.meta.url), { fields: ['internal_note'] });
  },
});

function event(extra: Record<string, unknown> = {}): Record<string, any> {
  return {
    event_id: id(),
    platform: 'node',
    level: 'error',
    exception: { values: [{ type: 'TypeError', value: 'x is undefined', stacktrace: { frames: [{ filename: 'app.js', function: 'run', lineno: 3 }] } }] },
    tags: { region: 'eu' },
    extra: { order: 12, ...extra },
  };
}

async function sendEnvelope(server: PostgresTestServer, sent: Record<string, unknown>): Promise<void> {
  const body = envelopeOf({ event_id: sent.event_id }, [{ header: { type: 'event' }, payload: JSON.stringify(sent) }]);
  const res = await request(server, `${server.url}/api/${server.project.id}/envelope/?sentry_key=${server.project.publicKey}`, { method: 'POST', body });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
}

/** The payload as the database holds it. */
async function rawPayload(server: PostgresTestServer, eventId: string): Promise<string> {
  await storedEvent(server, eventId);
  const client = new pg.Client({ connectionString: server.database.url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT payload FROM events WHERE event_id = $1', [eventId]);
    return rows[0].payload as string;
  } finally {
    await client.end();
  }
}

const asSent = (payload: string) => payload.startsWith('[');

for (const ingestThreads of [1, 0]) {
  describe(`payloads: kept as sent only when the scrubbers saw all of it (threads ${ingestThreads ? 'on' : 'off'})`, function () {
    this.timeout(60_000);
    let server: PostgresTestServer;
    before(async () => {
      server = await startPostgresTestServer({ ingestThreads, limits: { maxStringLength: 500, maxBreadcrumbs: 10 }, plugins: [copyOnWriteScrubber] });
    });
    after(() => server?.stop());

    it('keeps the bytes as sent of an event that core scrubbing and a copy-on-write module left alone', async () => {
      const sent = event();
      await sendEnvelope(server, sent);
      expect(asSent(await rawPayload(server, sent.event_id))).to.equal(true);
      const stored = await storedEvent(server, sent.event_id);
      expect(stored.event.exception.values[0].value).to.equal('x is undefined');
      expect(stored.event.extra).to.deep.equal({ order: 12 });
    });

    it('serializes an event that core scrubbing changed, and the secret is not in the stored bytes', async () => {
      const sent = event({ password: 'hunter2' });
      await sendEnvelope(server, sent);
      const raw = await rawPayload(server, sent.event_id);
      expect(asSent(raw)).to.equal(false);
      expect(raw).not.to.include('hunter2');
      expect((await storedEvent(server, sent.event_id)).event.extra.password).to.equal('[Filtered]');
    });

    it('serializes an event that the copy-on-write module changed', async () => {
      const sent = event({ internal_note: 'note-xyz' });
      await sendEnvelope(server, sent);
      const raw = await rawPayload(server, sent.event_id);
      expect(raw).not.to.include('note-xyz');
      expect((await storedEvent(server, sent.event_id)).event.extra.internal_note).to.equal('[Filtered]');
    });

    it('keeps each event of a native batch as sent unless scrubbing changed it', async () => {
      const clean = event();
      const secret = event({ password: 'hunter2' });
      const body = JSON.stringify({ discarded: { queue_overflow: 1 }, events: [clean, secret] }, null, 2);
      const res = await request(server, `${server.url}/api/v1/events`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.project.publicKey}` },
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(202);
      expect(asSent(await rawPayload(server, clean.event_id))).to.equal(true);
      const raw = await rawPayload(server, secret.event_id);
      expect(asSent(raw)).to.equal(false);
      expect(raw).not.to.include('hunter2');
      expect((await storedEvent(server, clean.event_id)).event.extra).to.deep.equal({ order: 12 });
    });

    // What mapping and normalizing drop, the scrubbers never see: the bytes as sent would keep it.
    const lossy: [string, () => Record<string, any>][] = [
      ['a secret past the string limit', () => event({ log: `${'a'.repeat(600)} card ${CARD}` })],
      ['a secret in a malformed tag pair', () => ({ ...event(), tags: [['region', 'eu'], ['note', 'x', CARD]] })],
      ['a secret in a breadcrumb past the limit', () => ({ ...event(), breadcrumbs: Array.from({ length: 12 }, (_, i) => ({ message: i === 0 ? `paid with ${CARD}` : `step ${i}` })) })],
      ['a secret in a frame that is not an object', () => {
        const e = event();
        e.exception.values[0].stacktrace.frames.unshift(`card ${CARD}`);
        return e;
      }],
      ['a secret under an alias beside its field', () => ({ ...event(), user: { id: 'u1' }, 'sentry.interfaces.User': { id: CARD } })],
    ];
    for (const [what, make] of lossy) {
      it(`serializes an event with ${what}: the stored bytes do not hold it`, async () => {
        const sent = make();
        await sendEnvelope(server, sent);
        const raw = await rawPayload(server, sent.event_id);
        expect(asSent(raw)).to.equal(false);
        expect(raw).not.to.include(CARD);
      });
    }
  });
}
