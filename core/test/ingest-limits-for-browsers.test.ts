/**
 * What a browser SDK on another origin needs from the ingest routes: headers it can read on every route,
 * and a rate limit that a batch split under it gets through (only what is accepted counts).
 */
import { expect } from 'chai';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { errorEvent, postEvents } from './helpers/http.js';

const PAGE = 'http://localhost:9';

describe('ingest for browsers on another origin', function () {
  this.timeout(30_000);
  let server: PostgresTestServer;

  before(async () => {
    server = await startPostgresTestServer({ rateLimitPerMinute: 2 });
  });

  after(async () => {
    await server?.stop();
  });

  it('exposes Retry-After and the rate-limit headers on every ingest route, preflight included', async () => {
    for (const path of ['/api/v1/events', `/api/${server.project.id}/envelope/`, `/api/${server.project.id}/store/`]) {
      const pre = await fetch(server.url + path, {
        method: 'OPTIONS',
        headers: { origin: PAGE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(pre.status, path).to.equal(204);
      expect(pre.headers.get('access-control-allow-origin'), path).to.equal(PAGE);
      expect(pre.headers.get('access-control-allow-headers'), path).to.include('authorization');
    }
    const post = await postEvents(server, 'not json', { raw: true, headers: { origin: PAGE } });
    expect(post.status).to.equal(400);
    expect(post.headers.get('access-control-allow-origin')).to.equal(PAGE);
    const exposed = (post.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(',');
    expect(exposed).to.include.members(['retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'x-sentry-rate-limits']);
  });

  it('does not charge a batch refused whole, says what is left, and takes a batch that fits', async () => {
    const whole = await postEvents(server, { events: [errorEvent(), errorEvent(), errorEvent()] }, { headers: { origin: PAGE } });
    expect(whole.status).to.equal(429);
    expect(whole.headers.get('ratelimit-limit')).to.equal('2');
    expect(whole.headers.get('ratelimit-remaining')).to.equal('2');
    expect(Number(whole.headers.get('retry-after'))).to.be.greaterThan(0);

    const split = await postEvents(server, { events: [errorEvent(), errorEvent()] });
    expect(split.status).to.equal(202);
    expect(split.body.accepted).to.equal(2);

    const over = await postEvents(server, errorEvent());
    expect(over.status).to.equal(429);
    expect(over.headers.get('ratelimit-remaining')).to.equal('0');
  });
});

describe('native ingest: what the SDK dropped', function () {
  this.timeout(30_000);
  let server: PostgresTestServer;

  before(async () => {
    server = await startPostgresTestServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('counts a body\'s "discarded" in faultline_sdk_discarded_events_total once the body is accepted', async () => {
    const res = await postEvents(server, { events: [errorEvent()], discarded: { queue_overflow: 3, made_up: 1, network_error: 'many' } });
    expect(res.status).to.equal(202);
    const values = (await server.faultline.metrics.sdkDiscardedEvents.get()).values.map((v) => ({ ...v.labels, value: v.value }));
    expect(values).to.deep.include({ reason: 'queue_overflow', category: 'error', value: 3 });
    expect(values).to.deep.include({ reason: 'other', category: 'error', value: 1 });
    expect(values.filter((v) => v.reason === 'network_error')).to.deep.equal([]);
    // a malformed "discarded" is not the client's error
    expect((await postEvents(server, { events: [errorEvent()], discarded: 'lots' })).status).to.equal(202);
  });
});
