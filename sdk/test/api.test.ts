import { expect } from 'chai';
import * as Faultline from '../src/node/index.js';
import { resetScope } from '../src/shared/api.js';
import { resolveEndpoint } from '../src/shared/dsn.js';
import { normalize } from '../src/shared/normalize.js';
import { scrubUrl } from '../src/shared/scrub.js';

const scrub = (v: unknown, keepCookies?: boolean) => normalize(v, true, keepCookies);
import type { FaultlineEvent, Options } from '../src/shared/types.js';
import { recordingTransport } from './helpers/capture.js';

function start(options: Partial<Options> = {}) {
  const transport = recordingTransport();
  Faultline.init({ dsn: 'http://pk@127.0.0.1:1/faultline/1', autoCapture: false, transport, ...options });
  return transport.events;
}

describe('dsn', () => {
  it('posts to the native route under the mount path, with the public key', () => {
    expect(resolveEndpoint('https://abc123@errors.example.com/faultline/42')).to.deep.equal({
      url: 'https://errors.example.com/faultline/api/v1/events',
      key: 'abc123',
    });
    expect(resolveEndpoint('http://k@127.0.0.1:8080/a/b/7/')).to.deep.equal({ url: 'http://127.0.0.1:8080/a/b/api/v1/events', key: 'k' });
    expect(resolveEndpoint('http://k@host/7')).to.deep.equal({ url: 'http://host/api/v1/events', key: 'k' });
    expect(resolveEndpoint(undefined, 'http://h/faultline/', 'k')).to.deep.equal({ url: 'http://h/faultline/api/v1/events', key: 'k' });
  });

  it('rejects what is not a DSN', () => {
    expect(resolveEndpoint('not a dsn')).to.equal(undefined);
    expect(resolveEndpoint('http://host/faultline/1')).to.equal(undefined);
    expect(resolveEndpoint('ftp://k@host/1')).to.equal(undefined);
  });
});

describe('scrubbing', () => {
  it('filters secret keys at any depth and secret query parameters', () => {
    const out = scrub({ password: 'x', nested: { api_key: 'k', ok: 1, list: [{ accessToken: 't' }] }, Authorization: 'Bearer x', cookie: 'c' });
    expect(out).to.deep.equal({
      password: '[Filtered]',
      nested: { api_key: '[Filtered]', ok: 1, list: [{ accessToken: '[Filtered]' }] },
      Authorization: '[Filtered]',
      cookie: '[Filtered]',
    });
    expect(scrub({ cookie: 'c' }, true)).to.deep.equal({ cookie: 'c' });
    expect(scrubUrl('https://x/cb?code=1&access_token=abc&password=p#x')).to.equal(
      'https://x/cb?code=1&access_token=[Filtered]&password=[Filtered]#x',
    );
  });

  it('filters secret query parameters in any string, with or without a leading ?, and by key in objects', () => {
    expect(scrubUrl('token=abc123&color=red')).to.equal('token=[Filtered]&color=red');
    expect(scrubUrl('password=hunter2')).to.equal('password=[Filtered]');
    expect(scrubUrl('GET https://x/a?session_id=9 failed')).to.equal('GET https://x/a?session_id=[Filtered] failed');
    expect(scrub({ query: { token: 'a', color: 'red' }, data: 'user=ada&password=pw' })).to.deep.equal({ query: { token: '[Filtered]', color: 'red' }, data: 'user=ada&password=[Filtered]' });
  });
});

describe('public API', () => {
  afterEach(async () => {
    await Faultline.close();
    resetScope();
  });

  it('is a no-op before init and returns ids anyway', async () => {
    expect(Faultline.captureMessage('nobody listens')).to.match(/^[0-9a-f]{32}$/);
    expect(await Faultline.flush(10)).to.equal(true);
  });

  it('captures an exception with release, environment, sdk, platform and a 32-hex id', () => {
    const events = start({ release: 'app@1.2.3', environment: 'staging' });
    const id = Faultline.captureException(new RangeError('out of range'));
    expect(events).to.have.length(1);
    const e = events[0];
    expect(e.event_id).to.equal(id).and.match(/^[0-9a-f]{32}$/);
    expect(e).to.include({ level: 'error', platform: 'node', release: 'app@1.2.3', environment: 'staging' });
    expect(e.sdk!.name).to.equal('faultline.javascript.node');
    expect(e.exception!.values[0]).to.include({ type: 'RangeError', value: 'out of range' });
    expect(e.exception!.values[0].mechanism).to.deep.equal({ type: 'generic', handled: true });
    expect(e.server_name).to.be.a('string');
    expect(e.contexts!.runtime).to.deep.include({ name: 'node' });
    expect(new Date(e.timestamp).getTime()).to.be.greaterThan(0);
  });

  it('captures messages with a level', () => {
    const events = start();
    Faultline.captureMessage('disk almost full', 'warning');
    expect(events[0]).to.include({ message: 'disk almost full', level: 'warning' });
  });

  it('applies user, tags, contexts, extra and breadcrumbs from the scope', () => {
    const events = start({ maxBreadcrumbs: 2 });
    Faultline.setUser({ id: 7, username: 'ada' });
    Faultline.setTag('region', 'eu');
    Faultline.setTags({ shard: '3' });
    Faultline.setContext('order', { id: 'o-1' });
    Faultline.setExtra('attempt', 2);
    for (const m of ['one', 'two', 'three']) Faultline.addBreadcrumb({ category: 'step', message: m });
    Faultline.captureMessage('with scope');
    const e = events[0];
    expect(e.user).to.deep.equal({ id: 7, username: 'ada' });
    expect(e.tags).to.deep.equal({ region: 'eu', shard: '3' });
    expect(e.contexts!.order).to.deep.equal({ id: 'o-1' });
    expect(e.extra).to.deep.equal({ attempt: 2 });
    expect(e.breadcrumbs!.map((b) => b.message)).to.deep.equal(['two', 'three']);
    expect(e.breadcrumbs![0].timestamp).to.be.a('string');
  });

  it('withScope changes only what is captured inside it', () => {
    const events = start();
    Faultline.setTag('a', '1');
    const r = Faultline.withScope((scope) => {
      scope.setTag('b', '2');
      scope.setLevel('fatal');
      scope.setFingerprint(['{{ default }}', 'checkout']);
      Faultline.captureMessage('inside');
      return 42;
    });
    Faultline.captureMessage('outside');
    expect(r).to.equal(42);
    expect(events[0].tags).to.deep.equal({ a: '1', b: '2' });
    expect(events[0].level).to.equal('fatal');
    expect(events[0].fingerprint).to.deep.equal(['{{ default }}', 'checkout']);
    expect(events[1].tags).to.deep.equal({ a: '1' });
    expect(events[1].level).to.equal('info');
  });

  it('beforeSend edits or drops events', async () => {
    const events = start({
      beforeSend: (e) => (e.message === 'drop me' ? null : { ...e, tags: { ...e.tags, edited: 'yes' } }),
    });
    Faultline.captureMessage('drop me');
    Faultline.captureMessage('keep me');
    expect(events.map((e) => e.message)).to.deep.equal(['keep me']);
    expect(events[0].tags!.edited).to.equal('yes');
  });

  it('beforeSend may be async, and a throwing one never reaches the app', async () => {
    const events = start({ beforeSend: async (e) => (e.message === 'async drop' ? null : e) });
    Faultline.captureMessage('async drop');
    Faultline.captureMessage('async keep');
    await new Promise((r) => setImmediate(r));
    expect(events.map((e) => e.message)).to.deep.equal(['async keep']);
    await Faultline.close();
    start({
      beforeSend: () => {
        throw new Error('bad hook');
      },
    });
    expect(() => Faultline.captureMessage('x')).not.to.throw();
  });

  it('samples with sampleRate', () => {
    const events = start({ sampleRate: 0 });
    for (let i = 0; i < 20; i++) Faultline.captureMessage('sampled out');
    expect(events).to.have.length(0);
  });

  it('scrubs secrets by default and sends no IP unless sendDefaultPii', async () => {
    let events = start();
    Faultline.setUser({ id: 1, email: 'ada@example.com' });
    Faultline.setExtra('password', 'hunter2');
    Faultline.setContext('auth', { token: 'abc', scope: 'read' });
    Faultline.addBreadcrumb({ category: 'fetch', data: { url: '/cb?token=abc&x=1' } });
    Faultline.captureMessage('secrets');
    let e: FaultlineEvent = events[0];
    expect(e.extra!.password).to.equal('[Filtered]');
    expect(e.contexts!.auth).to.equal('[Filtered]');
    expect(e.breadcrumbs![0].data!.url).to.equal('/cb?token=[Filtered]&x=1');
    // an email set explicitly is the app's choice
    expect(e.user).to.deep.equal({ id: 1, email: 'ada@example.com' });
    await Faultline.close();
    resetScope();
    events = start({ sendDefaultPii: true });
    Faultline.setUser({ id: 1 });
    Faultline.captureMessage('pii');
    e = events[0];
    expect(e.user!.ip_address).to.equal('{{auto}}');
  });

  it('close turns the SDK off', async () => {
    const events = start();
    expect(await Faultline.close()).to.equal(true);
    Faultline.captureMessage('after close');
    expect(events).to.have.length(0);
  });

  it('stays off with a bad DSN or enabled: false', () => {
    Faultline.init({ dsn: 'garbage' });
    Faultline.init({ dsn: 'http://k@127.0.0.1:1/1', enabled: false });
    expect(() => Faultline.captureMessage('nothing')).not.to.throw();
  });
});
