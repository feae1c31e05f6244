import { expect } from 'chai';
import { pino } from 'pino';
import { FaultlineError } from '../../src/errors.js';
import { HookRegistry, logAndCountFailures, type HookFailure } from '../../src/hooks/hook-registry.js';
import { defineIngestModule } from '../../src/hooks/ingest-module.js';
import { createMetrics } from '../../src/metrics.js';
import type { CanonicalEvent } from '../../src/event/types.js';

const event = (tags: Record<string, string> = {}): CanonicalEvent => ({ event_id: 'a'.repeat(32), timestamp: '', level: 'error', platform: 'x', tags });
const fixture = (name: string) => new URL(`../fixtures/ingest-modules/${name}.mjs`, import.meta.url);

async function rejection(p: Promise<unknown>): Promise<FaultlineError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(FaultlineError);
    return err as FaultlineError;
  }
  throw new Error('expected a rejection');
}

describe('hook registry', () => {
  let failures: HookFailure[];
  const make = (notifyTimeoutMs?: number) => {
    failures = [];
    return new HookRegistry((f) => failures.push(f), { notifyTimeoutMs });
  };
  const boom = () => {
    throw new Error('boom');
  };

  it('runs a waterfall by passing each result to the next handler, in order', async () => {
    const hooks = make();
    hooks.tap('a', 'ingest:normalize', (e) => ({ ...e, tags: { ...e.tags, a: '1' } }));
    hooks.tap('b', 'ingest:normalize', async (e) => ({ ...e, tags: { ...e.tags, b: e.tags.a + '2' } }));
    expect((await hooks.run('ingest:normalize', event(), { projectId: 1 })).tags).to.deep.equal({ a: '1', b: '12' });
  });

  it('runs a filter until the first false', async () => {
    const hooks = make();
    let calls = 0;
    hooks.tap('a', 'ingest:filter', () => false);
    hooks.tap('b', 'ingest:filter', () => (calls++, true));
    expect(await hooks.run('ingest:filter', event(), { projectId: 1 })).to.equal(false);
    expect(calls).to.equal(0);
  });

  it('runs each hook by its declared kind: a filter returning an event is not a waterfall', async () => {
    const hooks = make();
    hooks.tap('a', 'ingest:filter', (() => event({ replaced: 'yes' })) as any);
    expect(await hooks.run('ingest:filter', event(), { projectId: 1 })).to.equal(true);
    expect(await hooks.run('ingest:scrub', event({ kept: 'yes' }), { projectId: 1 })).to.deep.include({ tags: { kept: 'yes' } });
  });

  it('rejects the event when an ingest:scrub or ingest:filter handler throws, naming the hook and plugin', async () => {
    for (const name of ['ingest:scrub', 'ingest:filter'] as const) {
      const hooks = make();
      let after = 0;
      hooks.tap('pii-scrubber', name, boom as any);
      hooks.tap('later', name, ((e: CanonicalEvent) => (after++, e)) as any);
      const err = await rejection(hooks.run(name, event(), { projectId: 1 }) as Promise<unknown>);
      expect(err.code).to.equal('FAULTLINE_ERR_INGEST_HOOK_FAILED');
      expect(err.message).to.include(name).and.include('pii-scrubber');
      expect(after, 'no later handler runs').to.equal(0);
      expect(failures.map((f) => [f.plugin, f.hook])).to.deep.equal([['pii-scrubber', name]]);
    }
  });

  it('a scrub handler that returns no event fails closed too', async () => {
    const hooks = make();
    hooks.tap('forgetful', 'ingest:scrub', (() => undefined) as any);
    expect((await rejection(hooks.run('ingest:scrub', event(), { projectId: 1 }))).code).to.equal('FAULTLINE_ERR_INGEST_HOOK_FAILED');
  });

  it('skips a throwing ingest:normalize or ingest:fingerprint handler: the next one gets what it got', async () => {
    const hooks = make();
    hooks.tap('broken', 'ingest:normalize', boom);
    hooks.tap('ok', 'ingest:normalize', (e) => ({ ...e, tags: { ...e.tags, ok: 'yes' } }));
    hooks.tap('broken', 'ingest:fingerprint', boom);
    hooks.tap('bad-result', 'ingest:fingerprint', (() => [1, 2]) as any);
    expect((await hooks.run('ingest:normalize', event(), { projectId: 1 })).tags).to.deep.equal({ ok: 'yes' });
    expect(await hooks.run('ingest:fingerprint', ['default'], { projectId: 1, event: event() })).to.deep.equal(['default']);
    expect(failures.map((f) => `${f.plugin} ${f.hook}`)).to.deep.equal(['broken ingest:normalize', 'broken ingest:fingerprint', 'bad-result ingest:fingerprint']);
  });

  it('counts failures of every kind in faultline_hook_failures_total{plugin,hook}', async () => {
    const metrics = createMetrics();
    const hooks = new HookRegistry(logAndCountFailures(pino({ level: 'silent' }), metrics));
    const ran: string[] = [];
    hooks.tap('bad', 'event:stored', boom);
    hooks.tap('good', 'event:stored', () => void ran.push('good'));
    hooks.tap('grouper', 'ingest:fingerprint', boom);
    hooks.tap('scrubber', 'ingest:scrub', boom);
    await hooks.run('event:stored', { events: [] });
    await hooks.run('ingest:fingerprint', ['x'], { projectId: 1, event: event() });
    await hooks.run('ingest:scrub', event(), { projectId: 1 }).catch(() => undefined);
    expect(ran).to.deep.equal(['good']);
    const counted = (await metrics.hookFailures.get()).values.map((v) => ({ ...v.labels, value: v.value }));
    expect(counted).to.have.deep.members([
      { hook: 'event:stored', plugin: 'bad', value: 1 },
      { hook: 'ingest:fingerprint', plugin: 'grouper', value: 1 },
      { hook: 'ingest:scrub', plugin: 'scrubber', value: 1 },
    ]);
  });

  it('stops awaiting a notify handler after its timeout, aborts its signal and reports it', async () => {
    const hooks = make(30);
    let aborted = false;
    hooks.tap('slow-channel', 'issue:updated', (_value, { signal }) => new Promise<void>(() => signal.addEventListener('abort', () => (aborted = true))));
    hooks.tap('late-failure', 'issue:updated', () => new Promise<void>((_, reject) => setTimeout(() => reject(new Error('too late')), 60)));
    await hooks.run('issue:updated', { issue: {} as any, previous: {} as any });
    expect(aborted).to.equal(true);
    expect(failures.map((f) => [f.plugin, f.timedOut])).to.have.deep.members([
      ['slow-channel', true],
      ['late-failure', true],
    ]);
    await new Promise((r) => setTimeout(r, 60)); // the late rejection is swallowed, not unhandled
    expect(failures).to.have.length(2);
  });

  it('a tap returns its own unregister function', async () => {
    const hooks = make();
    const off = hooks.tap('a', 'ingest:filter', () => false);
    off();
    expect(hooks.has('ingest:filter')).to.equal(false);
    expect(await hooks.run('ingest:filter', event(), { projectId: 1 })).to.equal(true);
  });

  it('refuses an unknown hook name at once', () => {
    expect(() => make().tap('p', 'ingest:unknown' as any, () => undefined)).to.throw(FaultlineError, /ingest:unknown/);
  });

  describe('ingest modules', () => {
    it('loads a module in plugin order among the taps, under its plugin name', async () => {
      const hooks = make();
      hooks.tap('first', 'ingest:scrub', (e) => ({ ...e, tags: { ...e.tags, order: 'first', password: 'hunter2' } }));
      hooks.forPlugin('scrubber').module(fixture('scrub-fields'), { fields: ['password'] });
      hooks.tap('last', 'ingest:scrub', (e) => ({ ...e, tags: { ...e.tags, seen: e.tags.password } }));
      expect(hooks.tapsIngestInProcess()).to.equal(true);
      await hooks.loadModules();
      const out = await hooks.run('ingest:scrub', event(), { projectId: 1 });
      expect(out.tags).to.deep.equal({ order: 'first', password: '[Filtered]', seen: '[Filtered]' });
    });

    it('a registry with only modules may run in an ingest thread; one with changing handlers keeps no bytes as sent', async () => {
      const filtering = make();
      filtering.forPlugin('f').module(fixture('drop-transaction'), { transaction: 'GET /healthz' });
      await filtering.loadModules();
      expect([filtering.hasIngestHandlers(), filtering.tapsIngestInProcess(), filtering.mayChangeEvents()]).to.deep.equal([true, false, false]);
      const scrubbing = make();
      scrubbing.forPlugin('s').module(fixture('scrub-fields'), { fields: [] });
      await scrubbing.loadModules();
      expect(scrubbing.mayChangeEvents()).to.equal(true);
    });

    it('tells when an untouched event is visible: only when every changing handler is declared copy-on-write', async () => {
      const cow = make();
      cow.forPlugin('c').module(fixture('scrub-copy-on-write'), { fields: ['password'] });
      await cow.loadModules();
      expect([cow.mayChangeEvents(), cow.changesAreVisible()]).to.deep.equal([true, true]);
      const left = event({ region: 'eu' });
      expect(cow.runEach('ingest:scrub', left, { projectId: 1 })).to.equal(left);
      const mixed = make();
      mixed.forPlugin('c').module(fixture('scrub-copy-on-write'), { fields: [] });
      mixed.forPlugin('s').module(fixture('scrub-fields'), { fields: [] });
      await mixed.loadModules();
      expect(mixed.changesAreVisible()).to.equal(false);
      const tapped = make();
      tapped.tap('t', 'ingest:normalize', (e) => e);
      expect(tapped.changesAreVisible()).to.equal(false);
      expect(defineIngestModule(() => ({}), { copyOnWrite: true }).copyOnWrite).to.equal(true);
    });

    it('runEach answers without a promise while handlers do, and with one from the first that does not', async () => {
      const hooks = make();
      hooks.tap('a', 'ingest:scrub', (e) => ({ ...e, tags: { ...e.tags, a: '1' } }));
      hooks.tap('b', 'ingest:filter', () => true);
      const sync = hooks.runEach('ingest:scrub', event(), { projectId: 1 });
      expect(sync).not.to.be.instanceOf(Promise);
      expect((sync as CanonicalEvent).tags).to.deep.equal({ a: '1' });
      expect(hooks.runEach('ingest:filter', event(), { projectId: 1 })).to.equal(true);
      hooks.tap('c', 'ingest:scrub', async (e) => ({ ...e, tags: { ...e.tags, c: e.tags.a + '2' } }));
      hooks.tap('d', 'ingest:scrub', (e) => ({ ...e, tags: { ...e.tags, d: e.tags.c + '3' } }));
      hooks.tap('e', 'ingest:filter', async () => false);
      const later = hooks.runEach('ingest:scrub', event(), { projectId: 1 });
      expect(later).to.be.instanceOf(Promise);
      expect((await later).tags).to.deep.equal({ a: '1', c: '12', d: '123' });
      expect(await hooks.runEach('ingest:filter', event(), { projectId: 1 })).to.equal(false);
      hooks.tap('f', 'ingest:scrub', async () => {
        throw new Error('late boom');
      });
      const err = await rejection(hooks.runEach('ingest:scrub', event(), { projectId: 1 }) as Promise<CanonicalEvent>);
      expect(err.message).to.include('ingest:scrub handler of plugin f');
      const throwing = make();
      throwing.tap('g', 'ingest:scrub', boom);
      expect(() => throwing.runEach('ingest:scrub', event(), { projectId: 1 })).to.throw(FaultlineError, /ingest:scrub handler of plugin g/);
    });

    it('defineIngestModule types a factory of options into handlers with the hooks\' signatures', async () => {
      const factory = defineIngestModule((options: { tag: string }) => ({
        'ingest:normalize': (e) => ({ ...e, tags: { ...e.tags, [options.tag]: 'yes' } }),
        'ingest:fingerprint': (parts, { event }) => [...parts, event.level],
      }));
      const handlers = await factory({ tag: 'typed' });
      expect(handlers['ingest:normalize']!(event(), { projectId: 1 })).to.deep.include({ tags: { typed: 'yes' } });
    });

    it('refuses bad registrations and modules with coded errors naming the plugin', async () => {
      const hooks = make();
      expect(() => hooks.forPlugin('p').module('not a url')).to.throw(FaultlineError, /p: an ingest module needs a file URL/);
      expect(() => hooks.forPlugin('p').module(fixture('scrub-fields'), { when: new Date() } as any)).to.throw(FaultlineError, /plain JSON/);
      hooks.forPlugin('early').module(fixture('scrub-fields'), { fields: [] });
      await hooks.loadModules();
      expect(() => hooks.forPlugin('late').module(fixture('scrub-fields'))).to.throw(FaultlineError, /late: ingest modules are declared in a plugin's setup/);
      for (const [url, why] of [
        [fixture('missing'), /could not be imported/],
        [fixture('not-a-module'), /must export default defineIngestModule/],
      ] as const) {
        const bad = make();
        bad.forPlugin('p').module(url);
        const err = await rejection(bad.loadModules());
        expect(err.code).to.equal('FAULTLINE_ERR_HOOK_MODULE');
        expect(err.message).to.include('Plugin p').and.match(why);
      }
    });
  });
});
