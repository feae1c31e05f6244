import { expect } from 'chai';
import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { envelopeOf, fixture, issues, storedEvent } from './sentry-helpers.js';

const id = () => randomUUID().replace(/-/g, '');

describe('sentry: envelope and store routes', function () {
  let server: PostgresTestServer;
  let envelopeUrl: string;
  let storeUrl: string;

  before(async () => {
    server = await startPostgresTestServer();
    envelopeUrl = `${server.url}/api/${server.project.id}/envelope/`;
    storeUrl = `${server.url}/api/${server.project.id}/store/`;
  });
  after(() => server?.stop());

  function eventEnvelope(event: Record<string, unknown>, header: Record<string, unknown> = {}, withLength = false): Buffer {
    return envelopeOf({ event_id: event.event_id, sent_at: new Date().toISOString(), ...header }, [{ header: { type: 'event' }, payload: JSON.stringify(event) }], withLength);
  }

  async function post(url: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const res = await fetch(url, { method: 'POST', body, headers });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  const withKey = (url: string) => `${url}?sentry_version=7&sentry_key=${server.project.publicKey}&sentry_client=test%2F1.0`;

  describe('authentication', () => {
    it('takes the key from ?sentry_key=, answers 200 {id} and stores the event', async () => {
      const eventId = id();
      const res = await post(withKey(envelopeUrl), eventEnvelope({ event_id: eventId, message: 'via query key', level: 'error' }));
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ id: eventId });
      const stored = await storedEvent(server, eventId);
      expect(stored.event.message).to.equal('via query key');
      expect(stored.projectId).to.equal(server.project.id);
    });

    it('takes the key from X-Sentry-Auth and from the envelope header dsn', async () => {
      const a = id();
      const auth = `Sentry sentry_key=${server.project.publicKey}, sentry_version=7, sentry_client=sentry.python/2.19.0`;
      expect((await post(envelopeUrl, eventEnvelope({ event_id: a, message: 'auth header' }), { 'X-Sentry-Auth': auth })).status).to.equal(200);
      const b = id();
      expect((await post(envelopeUrl, eventEnvelope({ event_id: b, message: 'dsn header' }, { dsn: server.project.dsn }))).body).to.deep.equal({ id: b });
      await storedEvent(server, a);
      await storedEvent(server, b);
    });

    it('rejects a missing key, an unknown key, and a key of another project, before anything is stored', async () => {
      const missing = await post(envelopeUrl, eventEnvelope({ event_id: id(), message: 'x' }));
      expect(missing.status).to.equal(401);
      expect(missing.body.error.code).to.equal('FAULTLINE_ERR_AUTH_MISSING');
      const unknown = await post(`${envelopeUrl}?sentry_key=${'0'.repeat(32)}`, eventEnvelope({ message: 'x' }));
      expect(unknown.status).to.equal(401);
      expect(unknown.body.error.code).to.equal('FAULTLINE_ERR_AUTH_INVALID');
      const malformed = await post(`${envelopeUrl}?sentry_key=not-a-key!`, eventEnvelope({ message: 'x' }));
      expect(malformed.status).to.equal(401);

      const other = await server.createProject('Other');
      const wrong = await post(`${server.url}/api/${other.id}/envelope/?sentry_key=${server.project.publicKey}`, eventEnvelope({ message: 'x' }));
      expect(wrong.status).to.equal(403);
      expect(wrong.body.error.code).to.equal('FAULTLINE_ERR_AUTH_PROJECT_MISMATCH');
      const wrongDsn = await post(`${server.url}/api/${other.id}/envelope/`, eventEnvelope({ message: 'x' }, { dsn: server.project.dsn }));
      expect(wrongDsn.status).to.equal(403);
      const store = await post(storeUrl, '{"message":"no key"}');
      expect(store.status).to.equal(401);
    });

    it('leaves /api/v1 routes alone', async () => {
      const res = await post(`${server.url}/api/v1/envelope/?sentry_key=${server.project.publicKey}`, '{}');
      expect(res.status).to.equal(404);
    });

    it('matches paths as Express would: with or without the final slash, in any case; others fall through', async () => {
      for (const path of [`api/${server.project.id}/envelope`, `API/${server.project.id}/Envelope/`]) {
        const eventId = id();
        const res = await post(withKey(`${server.url}/${path}`), eventEnvelope({ event_id: eventId, message: path }));
        expect(res.status, path).to.equal(200);
        expect(res.body).to.deep.equal({ id: eventId });
      }
      for (const path of [`api/${server.project.id}/envelope//`, `api/x${server.project.id}/envelope/`, `api/${server.project.id}/envelopes/`]) {
        const res = await post(withKey(`${server.url}/${path}`), eventEnvelope({ event_id: id() }));
        expect(res.status, path).to.equal(404);
        expect(res.body.error.code).to.equal('FAULTLINE_ERR_NOT_FOUND');
      }
    });
  });

  describe('CORS', () => {
    it('answers the preflight and lets a page read the answer and rate-limit headers', async () => {
      const pre = await fetch(withKey(envelopeUrl), {
        method: 'OPTIONS',
        headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-sentry-auth' },
      });
      expect(pre.status).to.be.within(200, 204);
      expect(pre.headers.get('access-control-allow-origin')).to.equal('http://app.example');
      expect(pre.headers.get('access-control-allow-methods')).to.include('POST');
      expect(pre.headers.get('access-control-allow-headers')).to.include('x-sentry-auth');
      const res = await post(withKey(envelopeUrl), eventEnvelope({ event_id: id(), message: 'cors' }), { Origin: 'http://app.example', 'Content-Type': 'text/plain;charset=UTF-8' });
      expect(res.status).to.equal(200);
      expect(res.headers.get('access-control-allow-origin')).to.equal('http://app.example');
      expect(res.headers.get('access-control-expose-headers')).to.include('x-sentry-rate-limits');
      expect(res.headers.get('access-control-expose-headers')).to.include('retry-after');
    });

    it('answers the preflights of the store route and the native API with their own headers, and no others', async () => {
      const preflight = (url: string, headers: string) =>
        fetch(url, { method: 'OPTIONS', headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': headers } });
      const store = await preflight(withKey(storeUrl), 'x-sentry-auth');
      expect(store.status).to.equal(204);
      expect(store.headers.get('access-control-allow-headers')).to.include('x-sentry-auth');
      const native = await preflight(`${server.url}/api/v1/events`, 'authorization,content-type');
      expect(native.status).to.equal(204);
      expect(native.headers.get('access-control-allow-headers')).to.include('authorization');
      expect(native.headers.get('access-control-allow-headers')).to.not.include('x-sentry-auth');
      const other = await preflight(`${server.url}/api/v1/projects`, 'authorization');
      expect(other.headers.get('access-control-allow-origin')).to.equal(null);
    });

    it('sends CORS headers on error answers too', async () => {
      const res = await post(envelopeUrl, eventEnvelope({ message: 'no key' }), { Origin: 'http://app.example' });
      expect(res.status).to.equal(401);
      expect(res.headers.get('access-control-allow-origin')).to.equal('http://app.example');
    });
  });

  describe('bodies', () => {
    for (const [encoding, label, compress] of [
      ['gzip', 'gzip', gzipSync],
      ['deflate', 'zlib deflate', deflateSync],
      ['deflate', 'raw deflate', deflateRawSync],
      ['br', 'brotli', brotliCompressSync],
    ] as const) {
      it(`inflates Content-Encoding: ${encoding} (${label})`, async () => {
        const eventId = id();
        const res = await post(withKey(envelopeUrl), compress(eventEnvelope({ event_id: eventId, message: `${label} body` })), { 'Content-Encoding': encoding });
        expect(res.status).to.equal(200);
        expect((await storedEvent(server, eventId)).event.message).to.equal(`${label} body`);
      });
    }

    it('reads items with length whose payload holds newlines, in any content type, chunked', async () => {
      const eventId = id();
      const event = JSON.stringify({ event_id: eventId, message: 'multi\nline' }, null, 2); // pretty-printed: newlines in the payload
      const body = envelopeOf({ event_id: eventId }, [
        { header: { type: 'attachment', filename: 'log.txt' }, payload: 'line 1\nline 2' },
        { header: { type: 'event' }, payload: event },
      ], true);
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(withKey(envelopeUrl), { method: 'POST', headers: { 'Content-Type': 'application/x-sentry-envelope' } }, (r) => {
          let text = '';
          r.on('data', (c) => (text += c)).on('end', () => resolve({ status: r.statusCode!, body: text }));
        });
        req.on('error', reject);
        req.write(body.subarray(0, 10)); // chunked, in pieces
        req.end(body.subarray(10));
      });
      expect(res.status).to.equal(200);
      expect((await storedEvent(server, eventId)).event.message).to.equal('multi\nline');
    });

    it('rejects a corrupt compressed body with 415', async () => {
      const res = await post(withKey(envelopeUrl), Buffer.from('definitely not gzip'), { 'Content-Encoding': 'gzip' });
      expect(res.status).to.equal(415);
      expect(res.body.error.code).to.equal('FAULTLINE_ERR_INGEST_ENCODING');
      const unknown = await post(withKey(envelopeUrl), Buffer.from('x'), { 'Content-Encoding': 'zstd-ish' });
      expect(unknown.status).to.equal(415);
    });
  });

  describe('items', () => {
    it('accepts and drops sessions, client reports, transactions, spans, logs, check-ins, attachments and unknown types', async () => {
      const dropped = async () => Object.fromEntries((await server.faultline.metrics.itemsDropped.get()).values.map((v) => [v.labels.type, v.value]));
      const before = await dropped();
      const eventId = id();
      const body = envelopeOf({ event_id: eventId, sdk: { name: 'test' } }, [
        { header: { type: 'session' }, payload: JSON.stringify({ sid: id(), status: 'ok', init: true, attrs: { release: '1.0' } }) },
        { header: { type: 'sessions' }, payload: JSON.stringify({ aggregates: [{ started: '2024-01-01T00:00:00Z', exited: 3 }], attrs: { release: '1.0' } }) },
        { header: { type: 'client_report' }, payload: JSON.stringify({ timestamp: 1714564800, discarded_events: [{ reason: 'queue_overflow', category: 'error', quantity: 4 }, { reason: 'made_up', category: 'error', quantity: 1 }] }) },
        { header: { type: 'transaction' }, payload: JSON.stringify({ type: 'transaction', transaction: '/x', spans: [] }) },
        { header: { type: 'span' }, payload: '{}' },
        { header: { type: 'log', item_count: 1, content_type: 'application/vnd.sentry.items.log+json' }, payload: '{"items":[]}' },
        { header: { type: 'check_in' }, payload: '{"check_in_id":"x","monitor_slug":"m","status":"ok"}' },
        { header: { type: 'attachment', filename: 'dump.bin', attachment_type: 'event.minidump' }, payload: randomBytes(2048) },
        { header: { type: 'brand_new_type' }, payload: 'not even json' },
        { header: { type: 'event' }, payload: JSON.stringify({ event_id: eventId, message: 'with friends' }) },
      ], true);
      const res = await post(withKey(envelopeUrl), body);
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ id: eventId });
      await storedEvent(server, eventId);
      const after = await dropped();
      for (const type of ['session', 'sessions', 'client_report', 'transaction', 'span', 'log', 'check_in', 'attachment', 'other']) {
        expect((after[type] ?? 0) - (before[type] ?? 0), type).to.equal(1);
      }
      const discards = (await server.faultline.metrics.sdkDiscardedEvents.get()).values;
      expect(discards.find((v) => v.labels.reason === 'queue_overflow')?.value).to.equal(4);
      expect(discards.find((v) => v.labels.reason === 'other')?.value).to.equal(1);
    });

    it('answers 200 to an envelope without an event (a session alone)', async () => {
      const res = await post(withKey(envelopeUrl), envelopeOf({ sent_at: new Date().toISOString() }, [{ header: { type: 'session' }, payload: '{"sid":"a","status":"exited"}' }]));
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ id: null });
    });

    it('takes the event id from the envelope header when the event has none', async () => {
      const eventId = id();
      const res = await post(withKey(envelopeUrl), envelopeOf({ event_id: eventId }, [{ header: { type: 'event' }, payload: '{"message":"no id inside"}' }]));
      expect(res.body).to.deep.equal({ id: eventId });
      expect((await storedEvent(server, eventId)).event.message).to.equal('no id inside');
    });
  });

  describe('hostile input gets a coded 4xx, never a 500', () => {
    const cases: [string, () => Buffer | string, number, string, string?][] = [
      ['an empty body', () => '', 400, 'FAULTLINE_ERR_INGEST_BODY_EMPTY'],
      ['a header that is not JSON', () => '{"event_id":\n{"type":"event"}\n{}', 400, 'FAULTLINE_ERR_INGEST_ENVELOPE', 'header'],
      ['a truncated item header', () => '{}\n{"type":"ev', 400, 'FAULTLINE_ERR_INGEST_ENVELOPE', 'items[0]'],
      ['an item header without payload', () => '{}\n{"type":"event"}', 400, 'FAULTLINE_ERR_INGEST_ENVELOPE', 'items[0]'],
      ['a length past the end', () => '{}\n{"type":"event","length":99999}\n{"message":"x"}', 400, 'FAULTLINE_ERR_INGEST_ENVELOPE', 'items[0].length'],
      ['an event that is not JSON', () => '{}\n{"type":"session"}\n{}\n{"type":"event"}\n{"message":', 400, 'FAULTLINE_ERR_INGEST_JSON', 'items[1]'],
      ['an event that breaks the schema', () => '{}\n{"type":"event"}\n{"level":"loud","message":"x"}', 400, 'FAULTLINE_ERR_INGEST_SCHEMA', 'items[0].level'],
      ['an event that is not an object', () => '{}\n{"type":"event"}\n[1,2,3]', 400, 'FAULTLINE_ERR_INGEST_SCHEMA'],
      ['binary garbage', () => randomBytes(4096), 400, 'FAULTLINE_ERR_INGEST_ENVELOPE', 'header'],
    ];
    for (const [what, body, status, code, path] of cases) {
      it(what, async () => {
        const res = await post(withKey(envelopeUrl), body());
        expect(res.status, JSON.stringify(res.body)).to.equal(status);
        expect(res.body.error.code).to.equal(code);
        if (path) expect(res.body.error.path).to.equal(path);
      });
    }

    it('an event over 1 MiB (after decompression) is 413, even gzipped small', async () => {
      const big = { event_id: id(), message: 'big', extra: { blob: 'a'.repeat(1024 * 1024 + 10) } };
      const res = await post(withKey(envelopeUrl), gzipSync(eventEnvelope(big)), { 'Content-Encoding': 'gzip' });
      expect(res.status).to.equal(413);
      expect(res.body.error).to.include({ code: 'FAULTLINE_ERR_INGEST_EVENT_TOO_LARGE', path: 'items[0]' });
      const store = await post(withKey(storeUrl), JSON.stringify(big));
      expect(store.status).to.equal(413);
      expect(store.body.error.code).to.equal('FAULTLINE_ERR_INGEST_EVENT_TOO_LARGE');
    });

    it('a gzip bomb stops at the decompressed limit with 413', async () => {
      const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024)); // ~64 KB on the wire, 64 MiB inflated
      const res = await post(withKey(envelopeUrl), bomb, { 'Content-Encoding': 'gzip' });
      expect(res.status).to.equal(413);
      expect(res.body.error.code).to.equal('FAULTLINE_ERR_INGEST_BODY_TOO_LARGE');
    });

    it('a body over 20 MiB on the wire is 413', async () => {
      const res = await post(withKey(envelopeUrl), Buffer.alloc(21 * 1024 * 1024, 0x61), { 'Content-Encoding': 'gzip' });
      expect(res.status).to.equal(413);
      expect(res.body.error.code).to.equal('FAULTLINE_ERR_INGEST_BODY_TOO_LARGE');
    });

    it('the server still answers after all that', async () => {
      const eventId = id();
      expect((await post(withKey(envelopeUrl), eventEnvelope({ event_id: eventId, message: 'still alive' }))).status).to.equal(200);
    });
  });

  describe('store endpoint', () => {
    it('takes one event as JSON, gzipped, or (very old clients) base64 zlib', async () => {
      const a = id();
      const b = id();
      const c = id();
      const auth = { 'X-Sentry-Auth': `Sentry sentry_version=7, sentry_key=${server.project.publicKey}` };
      expect((await post(storeUrl, JSON.stringify({ event_id: a, message: 'store json' }), auth)).body).to.deep.equal({ id: a });
      expect((await post(storeUrl, gzipSync(JSON.stringify({ event_id: b, message: 'store gzip' })), { ...auth, 'Content-Encoding': 'gzip' })).status).to.equal(200);
      expect((await post(storeUrl, deflateSync(JSON.stringify({ event_id: c, message: 'store b64' })).toString('base64'), auth)).status).to.equal(200);
      expect((await storedEvent(server, c)).event.message).to.equal('store b64');
      const bad = await post(storeUrl, 'nope', auth);
      expect(bad.status).to.equal(400);
    });

    it('maps the Python, Java and Go SDKs\' event shapes and groups them', async () => {
      const expected: Record<string, { title: string; culprit?: string; platform: string }> = {
        'python-django-chained': { title: 'PaymentError: card declined', culprit: 'charge_order (myapp.views)', platform: 'python' },
        'python-logging-threads': { title: 'Job nightly-report took 93 seconds (155% of budget)', platform: 'python' },
        'java-spring-chained': { title: 'CheckoutException: Checkout failed for cart 991', culprit: 'checkout (com.acme.shop.CheckoutService)', platform: 'java' },
        'go-wrapped-error': { title: '*fmt.wrapError: loading config: open /etc/api/config.yaml: no such file or directory', culprit: 'loadConfig (github.com/acme/api/config)', platform: 'go' },
        'go-message-threads': { title: 'cache warmed: 3120 keys in 412ms', platform: 'go' },
        'legacy-raven': { title: 'ValueError: bad input', culprit: 'process (legacy.worker)', platform: 'python' },
      };
      const other = await server.createProject('Fixtures');
      for (const [i, name] of Object.keys(expected).entries()) {
        const event = fixture(name);
        // half over store, half in envelopes, each sent twice with fresh ids: two events, one issue
        for (const round of [0, 1]) {
          event.event_id = id();
          const res = i % 2 === 0
            ? await post(`${server.url}/api/${other.id}/store/?sentry_key=${other.publicKey}`, JSON.stringify(event))
            : await post(`${server.url}/api/${other.id}/envelope/?sentry_key=${other.publicKey}`, eventEnvelope(event));
          expect(res.status, `${name} ${round}: ${JSON.stringify(res.body)}`).to.equal(200);
        }
      }
      const view = { ...server, project: other } as PostgresTestServer;
      const found = await (async () => {
        for (let t = 0; t < 100; t++) {
          const list = await issues(view);
          if (list.reduce((n: number, x: any) => n + x.count, 0) === 12) return list;
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error('fixtures were not all stored');
      })();
      expect(found).to.have.length(6);
      for (const want of Object.values(expected)) {
        const issue = found.find((x: any) => x.title === want.title);
        expect(issue, want.title).to.exist;
        expect(issue.count).to.equal(2);
        expect(issue.platform).to.equal(want.platform);
        if (want.culprit) expect(issue.culprit).to.equal(want.culprit);
      }
    });
  });
});

describe('sentry: rate limits', () => {
  let server: PostgresTestServer;
  before(async () => {
    server = await startPostgresTestServer({ rateLimitPerMinute: 2 });
  });
  after(() => server?.stop());

  it('answers 429 with Retry-After and X-Sentry-Rate-Limits naming the categories; sessions still pass', async () => {
    const url = `${server.url}/api/${server.project.id}/envelope/?sentry_key=${server.project.publicKey}`;
    const send = (message: string) => fetch(url, { method: 'POST', body: `{}\n{"type":"event"}\n{"message":"${message}"}`, headers: { Origin: 'http://app.example' } });
    expect((await send('one')).status).to.equal(200);
    expect((await send('two')).status).to.equal(200);
    const limited = await send('three');
    expect(limited.status).to.equal(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).to.be.greaterThan(0);
    expect(limited.headers.get('x-sentry-rate-limits')).to.equal(`${retryAfter}:error;default;security:key`);
    expect(limited.headers.get('access-control-allow-origin')).to.equal('http://app.example');
    expect(((await limited.json()) as any).error.code).to.equal('FAULTLINE_ERR_INGEST_RATE_LIMITED');
    const session = await fetch(url, { method: 'POST', body: '{}\n{"type":"session"}\n{"sid":"s"}' });
    expect(session.status).to.equal(200);
  });

  it('refuses a limited key\'s events without parsing them; its sessions still pass', async () => {
    const url = (kind: string) => `${server.url}/api/${server.project.id}/${kind}/?sentry_key=${server.project.publicKey}`;
    const send = (kind: string, body: string) => fetch(url(kind), { method: 'POST', body });
    while ((await send('envelope', '{}\n{"type":"event"}\n{"message":"fill"}')).status !== 429);
    // Bodies that would be a 400 if parsed: the limit answers first.
    const envelope = await send('envelope', '{}\n{"type":"event"}\n{ not json');
    expect(envelope.status).to.equal(429);
    expect(envelope.headers.get('x-sentry-rate-limits')).to.match(/^\d+:error;default;security:key$/);
    expect((await send('store', '{ not json')).status).to.equal(429);
    const session = await send('envelope', '{}\n{"type":"session"}\n{"sid":"s"}');
    expect(session.status).to.equal(200);
    // The 200 tells the SDK its events are still limited, so it holds them back.
    expect(session.headers.get('x-sentry-rate-limits')).to.match(/^\d+:error;default;security:key$/);
  });
});
