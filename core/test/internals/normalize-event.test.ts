import { expect } from 'chai';
import { DEFAULT_LIMITS } from '../../src/config.js';
import { normalizeEvent } from '../../src/ingest/normalize-event.js';

const receivedAt = new Date('2026-11-21T10:00:00.000Z');
const normalize = (event: any, clientIp?: string) => normalizeEvent(event, { receivedAt, clientIp, limits: DEFAULT_LIMITS });

describe('event normalization', () => {
  it('fills in id, timestamp, level and platform', () => {
    const e = normalize({ exception: { values: [{ type: 'E' }] } });
    expect(e.event_id).to.match(/^[0-9a-f]{32}$/);
    expect(e.timestamp).to.equal(receivedAt.toISOString());
    expect(e.level).to.equal('error');
    expect(e.platform).to.equal('other');
    expect(normalize({ message: 'hi' }).level).to.equal('info');
  });

  it('reads float seconds and ISO timestamps; clamps the future to the receive time', () => {
    expect(normalize({ timestamp: 1763719200.25 }).timestamp).to.equal('2025-11-21T10:00:00.250Z');
    expect(normalize({ timestamp: '2026-11-21T09:00:00Z' }).timestamp).to.equal('2026-11-21T09:00:00.000Z');
    expect(normalize({ timestamp: '2036-01-01T00:00:00Z' }).timestamp).to.equal(receivedAt.toISOString());
    expect(normalize({ timestamp: 'yesterday' }).timestamp).to.equal(receivedAt.toISOString());
  });

  it('maps level aliases and lower-cases ids without dashes', () => {
    expect(normalize({ level: 'warn' }).level).to.equal('warning');
    expect(normalize({ level: 'critical' }).level).to.equal('fatal');
    expect(normalize({ event_id: '0123ABCD-0123-4567-89AB-0123456789AB' }).event_id).to.equal('0123abcd0123456789ab0123456789ab');
  });

  it('defaults in_app from the path', () => {
    const e = normalize({
      exception: {
        values: [
          {
            stacktrace: {
              frames: [
                { filename: '/app/node_modules/express/lib/router.js' },
                { filename: 'node:internal/process/task_queues' },
                { filename: '/app/src/cart.js' },
                { filename: '/app/src/x.js', in_app: false },
              ],
            },
          },
        ],
      },
    });
    expect(e.exception!.values!.at(0)!.stacktrace!.frames!.map((f) => f.in_app)).to.deep.equal([false, false, true, false]);
  });

  it('flattens message objects, tag pairs and breadcrumb values; trims long strings', () => {
    const e = normalize({
      message: { formatted: 'formatted text' },
      tags: [['a', 1], ['b', true]],
      breadcrumbs: { values: Array.from({ length: 500 }, (_, i) => ({ message: `c${i}` })) },
      extra: { big: 'y'.repeat(100_000), nested: { s: 'z'.repeat(100_000) } },
    });
    expect(e.message).to.equal('formatted text');
    expect(e.tags).to.deep.equal({ a: '1', b: 'true' });
    expect(e.breadcrumbs).to.have.length(DEFAULT_LIMITS.maxBreadcrumbs);
    expect(e.breadcrumbs!.at(-1)!.message).to.equal('c499');
    expect((e.extra!.big as string).length).to.equal(DEFAULT_LIMITS.maxStringLength);
    expect(((e.extra!.nested as any).s as string).length).to.equal(DEFAULT_LIMITS.maxStringLength);
  });

  it('fills ip_address {{auto}} from the client address', () => {
    expect(normalize({ user: { ip_address: '{{auto}}' } }, '10.1.2.3').user!.ip_address).to.equal('10.1.2.3');
    expect(normalize({ user: { ip_address: '{{auto}}' } }).user).to.not.have.property('ip_address');
  });

  it('fills the client address for sdk.settings.infer_ip "auto" (sendDefaultPii), and never for "never"', () => {
    const auto = { sdk: { name: 'sentry.javascript.browser', settings: { infer_ip: 'auto' } } };
    expect(normalize({ ...auto }, '10.1.2.3').user).to.deep.equal({ ip_address: '10.1.2.3' });
    expect(normalize({ ...auto, user: { id: 'u1' } }, '10.1.2.3').user).to.deep.equal({ id: 'u1', ip_address: '10.1.2.3' });
    expect(normalize({ ...auto, user: { ip_address: '192.0.2.1' } }, '10.1.2.3').user!.ip_address).to.equal('192.0.2.1');
    expect(normalize({ ...auto }).user).to.equal(undefined);
    const never = { sdk: { settings: { infer_ip: 'never' } }, user: { ip_address: '{{auto}}' } };
    expect(normalize(never, '10.1.2.3').user).to.not.have.property('ip_address');
    expect(normalize({ user: { id: 'u2' } }, '10.1.2.3').user).to.deep.equal({ id: 'u2' });
  });

  it('gives an all-zero or missing event_id a fresh one', () => {
    const zero = normalize({ event_id: '00000000000000000000000000000000' }).event_id;
    expect(zero).to.match(/^[0-9a-f]{32}$/).and.not.equal('00000000000000000000000000000000');
    expect(normalize({ event_id: '00000000-0000-0000-0000-000000000000' }).event_id).to.not.equal(zero).and.not.match(/^0+$/);
  });
});
