import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { clientIpResolver } from '../src/http/client-ip.js';
import { envelopeOf, storedEvent } from './sentry-helpers.js';

const id = () => randomUUID().replace(/-/g, '');
const ZERO_ID = '00000000000000000000000000000000';

/** What Sentry clients that do not run in this repository send, byte for byte (see TOOLING.md). */
describe('sentry: clients that send odd but valid requests', function () {
  let server: PostgresTestServer;
  let envelopeUrl: string;
  let storeUrl: string;

  before(async () => {
    server = await startPostgresTestServer();
    envelopeUrl = `${server.url}/api/${server.project.id}/envelope/`;
    storeUrl = `${server.url}/api/${server.project.id}/store/`;
  });
  after(() => server?.stop());

  async function post(url: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const res = await fetch(url, { method: 'POST', body, headers });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  it('sentry-cli send-event --raw: an all-zero event_id gets a fresh id each time, so no event is dropped as a duplicate', async () => {
    // sentry-cli sends the file as an event item of an envelope whose header carries the all-zero id.
    const send = (message: string) => {
      const payload = JSON.stringify({ event_id: ZERO_ID, message, level: 'error', platform: 'other' });
      const body = envelopeOf({ event_id: ZERO_ID, dsn: server.project.dsn, sdk: { name: 'sentry-cli', version: '2.58.2' } }, [{ header: { type: 'event' }, payload }], true);
      return post(envelopeUrl, body, { 'content-type': 'application/x-sentry-envelope', 'user-agent': 'sentry-cli/2.58.2' });
    };
    const first = await send('first raw event');
    const second = await send('second raw event');
    expect(first.status).to.equal(200);
    expect(second.status).to.equal(200);
    expect(first.body.id).to.match(/^[0-9a-f]{32}$/).and.not.equal(ZERO_ID);
    expect(second.body.id).to.match(/^[0-9a-f]{32}$/).and.not.equal(first.body.id);
    expect((await storedEvent(server, first.body.id)).event.message).to.equal('first raw event');
    expect((await storedEvent(server, second.body.id)).event.message).to.equal('second raw event');
  });

  it('raven-js on /store/: the event gets `sdk` from sentry_client in the query string or X-Sentry-Auth', async () => {
    const ravenEvent = (eventId: string) =>
      JSON.stringify({
        project: String(server.project.id),
        logger: 'javascript',
        platform: 'javascript',
        request: { headers: { 'User-Agent': 'Mozilla/5.0' }, url: 'http://shop.example/cart' },
        exception: { values: [{ type: 'TypeError', value: 'cart is undefined', stacktrace: { frames: [{ filename: 'http://shop.example/app.js', lineno: 3, colno: 9, function: 'pay', in_app: true }] } }], transaction: 'http://shop.example/app.js' },
        culprit: 'http://shop.example/app.js',
        extra: { 'session:duration': 5 },
        event_id: eventId,
      });
    const viaQuery = id();
    const query = `?sentry_version=7&sentry_client=raven-js%2F3.22.1&sentry_key=${server.project.publicKey}`;
    expect((await post(storeUrl + query, ravenEvent(viaQuery), { 'content-type': 'text/plain;charset=UTF-8' })).status).to.equal(200);
    const viaHeader = id();
    const auth = `Sentry sentry_version=7, sentry_client=raven-js/3.22.1, sentry_key=${server.project.publicKey}`;
    expect((await post(storeUrl, ravenEvent(viaHeader), { 'content-type': 'text/plain;charset=UTF-8', 'x-sentry-auth': auth })).status).to.equal(200);

    for (const eventId of [viaQuery, viaHeader]) {
      const { event } = await storedEvent(server, eventId);
      expect(event.sdk).to.deep.equal({ name: 'raven-js', version: '3.22.1' });
      expect(event.exception.values[0]).to.include({ type: 'TypeError', value: 'cart is undefined' });
    }
    // An event that names its SDK keeps it.
    const named = id();
    const withSdk = JSON.stringify({ event_id: named, message: 'named', sdk: { name: 'sentry.python', version: '1.9.0' } });
    expect((await post(storeUrl + query, withSdk)).status).to.equal(200);
    expect((await storedEvent(server, named)).event.sdk).to.include({ name: 'sentry.python', version: '1.9.0' });
  });

  it('an envelope with two event items is refused as a whole with 400, as Relay does', async () => {
    const [a, b] = [id(), id()];
    const body = envelopeOf({ event_id: a }, [
      { header: { type: 'event' }, payload: JSON.stringify({ event_id: a, message: 'one' }) },
      { header: { type: 'event' }, payload: JSON.stringify({ event_id: b, message: 'two' }) },
    ]);
    const res = await post(`${envelopeUrl}?sentry_key=${server.project.publicKey}`, body);
    expect(res.status).to.equal(400);
    expect(res.body.error).to.include({ code: 'FAULTLINE_ERR_INGEST_ENVELOPE', path: 'items[1]' });
    const lookup = await fetch(`${server.url}/api/v1/events/${a}`, { headers: { authorization: `Bearer ${server.project.secretToken}` } });
    expect(lookup.status).to.equal(404);
  });

  it('an {{auto}} address from an IPv4 client on a dual-stack socket is stored as IPv4', () => {
    const req = (remoteAddress: string) => ({ headers: {}, connection: { remoteAddress }, socket: { remoteAddress }, ip: remoteAddress }) as any;
    expect(clientIpResolver(false)(req('::ffff:127.0.0.1'))).to.equal('127.0.0.1');
    expect(clientIpResolver(null)(req('::ffff:10.1.2.3'))).to.equal('10.1.2.3');
    expect(clientIpResolver(false)(req('::1'))).to.equal('::1');
    expect(clientIpResolver(false)(req('2001:db8::ffff:1'))).to.equal('2001:db8::ffff:1');
  });
});
