import { FaultlineError } from '../src/errors.js';
import { expect } from 'chai';
import { DEFAULT_LIMITS } from '../src/config.js';
import type { CanonicalEvent } from '../src/event/types.js';
import { createEventValidator } from '../src/event/validate-event.js';
import { normalizeEvent } from '../src/ingest/normalize-event.js';
import { formatLogMessage, mapSentryEvent } from '../src/sentry/map-sentry-event.js';
import { fixture } from './sentry-helpers.js';

const validate = createEventValidator(DEFAULT_LIMITS);


/** Mapping, then what native ingest does: the event must pass validation and normalization. */
function ingest(raw: unknown): CanonicalEvent {
  const mapped = mapSentryEvent(raw);
  return normalizeEvent(validate(mapped), { receivedAt: new Date('2024-05-01T12:00:05Z'), clientIp: '127.0.0.9', limits: DEFAULT_LIMITS });
}

describe('sentry: mapSentryEvent', () => {
  it('Python (Django): logentry -> message, chained exceptions with mechanism, frames with vars/abs_path/module/context', () => {
    const e = ingest(fixture('python-django-chained'));
    expect(e.message).to.equal('Failed to charge order A-17 for alice');
    expect(e.logentry).to.deep.equal({ message: 'Failed to charge order %s for %s', params: ['A-17', 'alice'] });
    expect(e.timestamp).to.equal('2024-05-01T12:00:00.123Z');
    const [cause, outer] = e.exception!.values!;
    expect(cause.type).to.equal('KeyError');
    expect(cause).to.not.have.property('module'); // null dropped
    expect(outer.mechanism).to.include({ type: 'django', handled: false });
    const frame = outer.stacktrace!.frames![1];
    expect(frame).to.include({ abs_path: '/srv/app/myapp/views.py', module: 'myapp.views', lineno: 88, in_app: true });
    expect(frame.context_line).to.equal('        card = default_card(order.customer)');
    expect(frame.vars).to.deep.equal({ order_id: "'A-17'", amount: '12.5', self: null });
    expect(e.breadcrumbs).to.have.length(2);
    expect(e.breadcrumbs![0].timestamp).to.equal(1714564799.5); // float seconds, kept as native ingest keeps them
    expect(e.request!.headers).to.include({ Host: 'shop.example' });
    expect(e.tags).to.include({ region: 'eu-west' });
    expect(e.modules).to.deep.equal({ 'django': '5.0.4', 'sentry-sdk': '2.19.0' }); // unknown fields kept
    expect(e.level).to.equal('error');
  });

  it('Python logging: printf params with %d and %%, float-seconds event timestamp, threads kept', () => {
    const e = ingest(fixture('python-logging-threads'));
    expect(e.message).to.equal('Job nightly-report took 93 seconds (155% of budget)');
    expect(e.timestamp).to.equal('2024-05-01T12:00:00.250Z');
    expect(e.level).to.equal('warning');
    expect((e.threads as any).values[0].stacktrace.frames[0].module).to.equal('myapp.jobs');
  });

  it('Java: message object -> formatted string, class/module frames, negative line numbers dropped, upper-case levels', () => {
    const e = ingest(fixture('java-spring-chained'));
    expect(e.message).to.equal('Checkout failed for cart 991');
    expect(e.event_id).to.equal('8a0e2a448b6e4d8a9f336a6f6c1c2b10');
    const [cause, outer] = e.exception!.values!;
    expect(cause).to.include({ type: 'SQLException', module: 'java.sql' });
    expect(cause.stacktrace!.frames![2]).to.not.have.property('lineno');
    expect(outer.stacktrace!.frames![2]).to.include({ module: 'com.acme.shop.CheckoutService', function: 'checkout', filename: 'CheckoutService.java' });
    expect(e.breadcrumbs![1].level).to.equal('warning');
    expect(e.user).to.deep.equal({ id: 'u-7', username: 'bob', ip_address: '127.0.0.9' });
    expect(e.contexts!.spring).to.deep.equal({ profiles: ['staging'] });
  });

  it('Go: exception as a bare list, header and tag pairs (repeated headers joined), nanosecond timestamps', () => {
    const e = ingest(fixture('go-wrapped-error'));
    expect(e.exception!.values!.map((v) => v.type)).to.deep.equal(['*fs.PathError', '*fmt.wrapError']);
    expect(e.exception!.values![1].stacktrace!.frames![2].module).to.equal('github.com/acme/api/config');
    expect(e.request!.headers).to.deep.equal({ 'User-Agent': 'curl/8.5', 'X-Forwarded-For': '10.0.0.1, 10.0.0.2' });
    expect(e.tags).to.deep.equal({ handler: 'orders', shard: '3' });
    expect(e.timestamp).to.equal('2024-05-01T12:00:00.123Z');
    expect(e.breadcrumbs![0].data).to.include({ status_code: 200 });
  });

  it('Go: a message with threads as a bare list', () => {
    const e = ingest(fixture('go-message-threads'));
    expect(e.message).to.equal('cache warmed: 3120 keys in 412ms');
    expect(e.level).to.equal('info');
  });

  it('legacy sentry.interfaces.* aliases, a top-level stack trace, zone-less timestamps', () => {
    const e = ingest(fixture('legacy-raven'));
    expect(e.message).to.equal('worker w-9 crashed');
    expect(e.level).to.equal('error');
    expect(e.timestamp).to.equal('2024-05-01T12:00:02.000Z');
    const value = e.exception!.values![0];
    expect(value.stacktrace!.frames![0]).to.include({ module: 'legacy.worker', function: 'process' });
    expect(value.stacktrace!.frames![0]).to.not.have.property('colno');
    expect(e).to.not.have.property('stacktrace');
    expect(e).to.not.have.property('sentry.interfaces.Exception');
    expect(e.user).to.deep.equal({ id: 17 });
    expect(e.request).to.deep.include({ url: 'http://legacy.local/run', headers: { Accept: 'text/html' } });
    expect(e.tags).to.deep.equal({ server: 'legacy-1' });
  });

  it('takes an exception stack from the thread it names, or from the crashed thread', () => {
    const frames = [{ function: 'crash', module: 'app', lineno: 1 }];
    const byId = mapSentryEvent({
      exception: { values: [{ type: 'E', thread_id: 7 }] },
      threads: { values: [{ id: 3, stacktrace: { frames: [{ function: 'other' }] } }, { id: 7, stacktrace: { frames } }] },
    }) as any;
    expect(byId.exception.values[0].stacktrace.frames).to.deep.equal(frames);
    const crashed = mapSentryEvent({ exception: [{ type: 'E' }], threads: [{ id: 1 }, { id: 2, crashed: true, stacktrace: { frames } }] }) as any;
    expect(crashed.exception.values[0].stacktrace.frames).to.deep.equal(frames);
  });

  it('accepts a single exception object and a message object with only a template', () => {
    const e = mapSentryEvent({ exception: { type: 'E', value: 42 }, message: { message: 'plain' } }) as any;
    expect(e.exception.values).to.deep.equal([{ type: 'E', value: '42' }]);
    expect(e.message).to.equal('plain');
  });

  it('turns a typeless synthetic exception around a message (captureMessage with a stack) into a message event', () => {
    const stacktrace = { frames: [{ function: 'report', filename: '/app/x.js' }] };
    const e = mapSentryEvent({
      message: 'disk almost full',
      exception: { values: [{ value: 'disk almost full', stacktrace, mechanism: { type: 'generic', synthetic: true } }] },
    }) as any;
    expect(e).to.not.have.property('exception');
    expect(e.stacktrace).to.deep.equal(stacktrace);
    const real = mapSentryEvent({ message: 'x', exception: { values: [{ type: 'TypeError', value: 'x', mechanism: { synthetic: true } }] } }) as any;
    expect(real.exception.values).to.have.length(1);
  });

  it('never throws on odd input and leaves it to the validator', () => {
    for (const odd of [null, 1, 'x', [], { exception: 'x' }, { breadcrumbs: 'x' }, { tags: 5 }, { request: { headers: 3 } }, { contexts: { a: 1 } }]) {
      expect(() => mapSentryEvent(odd)).to.not.throw();
    }
    expect(() => validate(mapSentryEvent({ exception: 'x' }))).to.throw(/exception/);
  });

  it('refuses a tag or log parameter nested deeper than JSON.stringify can write with a coded TOO_DEEP, never a RangeError (found by the fuzz test)', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`);
    for (const event of [{ tags: { t: deep } }, { logentry: { message: '%s', params: [deep] } }]) {
      expect(() => mapSentryEvent(event)).to.throw(FaultlineError).with.property('code', 'FAULTLINE_ERR_INGEST_TOO_DEEP');
    }
  });

  it('formats log templates', () => {
    expect(formatLogMessage('a %s b %r', ['x', { k: 1 }])).to.equal('a x b {"k":1}');
    expect(formatLogMessage('%(name)s is %(age)d', { name: 'ann', age: 3 })).to.equal('ann is 3');
    expect(formatLogMessage('cart {} of {}', ['1'])).to.equal('cart 1 of {}');
    expect(formatLogMessage(undefined, [])).to.equal(undefined);
  });
});
