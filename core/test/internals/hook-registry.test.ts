import { expect } from 'chai';
import { pino } from 'pino';
import { FaultlineError } from '../../src/errors.js';
import { HookRegistry } from '../../src/hooks/hook-registry.js';
import { createMetrics } from '../../src/metrics.js';
import type { CanonicalEvent } from '../../src/event/types.js';

const event = (): CanonicalEvent => ({ event_id: 'a'.repeat(32), timestamp: '', level: 'error', platform: 'x', tags: {} });

describe('hook registry', () => {
  const make = () => new HookRegistry(pino({ level: 'silent' }), createMetrics());

  it('waterfall passes each result to the next handler, in order', async () => {
    const hooks = make();
    hooks.tap('a', 'ingest:normalize', (e) => ({ ...e, tags: { ...e.tags, a: '1' } }));
    hooks.tap('b', 'ingest:normalize', async (e) => ({ ...e, tags: { ...e.tags, b: e.tags.a + '2' } }));
    expect((await hooks.waterfall('ingest:normalize', event(), { projectId: 1 })).tags).to.deep.equal({ a: '1', b: '12' });
  });

  it('filter stops at the first false', async () => {
    const hooks = make();
    let calls = 0;
    hooks.tap('a', 'ingest:filter', () => false);
    hooks.tap('b', 'ingest:filter', () => (calls++, true));
    expect(await hooks.filter('ingest:filter', event(), { projectId: 1 })).to.equal(false);
    expect(calls).to.equal(0);
  });

  it('notify runs every handler and swallows failures, counting them by hook and plugin', async () => {
    const metrics = createMetrics();
    const hooks = new HookRegistry(pino({ level: 'silent' }), metrics);
    const ran: string[] = [];
    hooks.tap('bad', 'event:stored', () => {
      throw new Error('x');
    });
    hooks.tap('good', 'event:stored', () => void ran.push('good'));
    await hooks.notify('event:stored', { events: [] });
    expect(ran).to.deep.equal(['good']);
    const counted = (await metrics.hookFailures.get()).values;
    expect(counted).to.deep.equal([{ value: 1, labels: { hook: 'event:stored', plugin: 'bad' } }]);
  });

  it('a tap returns its own unregister function', async () => {
    const hooks = make();
    const off = hooks.tap('a', 'ingest:filter', () => false);
    off();
    expect(hooks.has('ingest:filter')).to.equal(false);
    expect(await hooks.filter('ingest:filter', event(), { projectId: 1 })).to.equal(true);
  });

  it('refuses an unknown hook name at once', () => {
    expect(() => make().tap('p', 'ingest:unknown' as any, () => undefined)).to.throw(FaultlineError, /ingest:unknown/);
  });
});
