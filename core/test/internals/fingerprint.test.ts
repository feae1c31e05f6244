import { expect } from 'chai';
import { defaultFingerprint, hashFingerprint, maskVariables, normalizeFilename, normalizeFunction, resolveFingerprint } from '../../src/ingest/fingerprint.js';
import type { CanonicalEvent, StackFrame } from '../../src/event/types.js';

function event(type: string, frames: StackFrame[], extra: Partial<CanonicalEvent> = {}): CanonicalEvent {
  return {
    event_id: 'a'.repeat(32),
    timestamp: new Date().toISOString(),
    level: 'error',
    platform: 'javascript',
    tags: {},
    exception: { values: [{ type, value: 'boom', stacktrace: { frames } }] },
    ...extra,
  };
}

const key = (e: CanonicalEvent) => hashFingerprint(resolveFingerprint(e));

describe('grouping (fingerprint)', () => {
  it('ignores line and column numbers', () => {
    const a = event('TypeError', [{ filename: 'src/cart.js', function: 'total', lineno: 10, colno: 5, in_app: true }]);
    const b = event('TypeError', [{ filename: 'src/cart.js', function: 'total', lineno: 99, colno: 1, in_app: true }]);
    expect(key(a)).to.equal(key(b));
  });

  it('ignores bundle hashes, origins and query strings across deployments', () => {
    const a = event('TypeError', [
      { filename: 'https://shop.example/assets/index-3f9a7c21.js?v=1', function: 'checkout', lineno: 1, colno: 2000, in_app: true },
      { filename: 'https://shop.example/assets/vendor.8c1d2e3f4a.js', function: 'render', lineno: 1, colno: 10, in_app: true },
    ]);
    const b = event('TypeError', [
      { filename: 'https://cdn.shop.example/assets/index-b71e0d94.js', function: 'checkout', lineno: 1, colno: 2345, in_app: true },
      { filename: 'https://cdn.shop.example/assets/vendor.77aa01bc9d.js', function: 'render', lineno: 1, colno: 12, in_app: true },
    ]);
    expect(key(a)).to.equal(key(b));
  });

  it('ignores vite-style base64 hashes and release directories', () => {
    expect(normalizeFilename('/assets/index-BzX3abc1.js')).to.equal(normalizeFilename('/assets/index-Qr7tY2kP.js'));
    expect(normalizeFilename('/srv/releases/20261121093000/app/server.js')).to.equal(
      normalizeFilename('/srv/releases/20261122101500/app/server.js'),
    );
    expect(normalizeFilename('/app/src/feedback.js')).to.equal('/app/src/feedback.js');
  });

  it('keeps different exception types apart', () => {
    const frames = [{ filename: 'src/cart.js', function: 'total', in_app: true }];
    expect(key(event('TypeError', frames))).to.not.equal(key(event('RangeError', frames)));
  });

  it('keeps different call sites apart', () => {
    const a = event('TypeError', [{ filename: 'src/cart.js', function: 'total', in_app: true }]);
    const b = event('TypeError', [{ filename: 'src/user.js', function: 'load', in_app: true }]);
    expect(key(a)).to.not.equal(key(b));
  });

  it('uses only in-app frames when there are some, all frames otherwise', () => {
    const app = { filename: 'src/cart.js', function: 'total', in_app: true };
    const lib1 = { filename: 'node_modules/express/lib/router.js', function: 'handle', in_app: false };
    const lib2 = { filename: 'node_modules/express/lib/layer.js', function: 'next', in_app: false };
    expect(key(event('E', [lib1, app]))).to.equal(key(event('E', [lib2, app])));
    expect(key(event('E', [lib1]))).to.not.equal(key(event('E', [lib2])));
  });

  it('drops memory addresses and minified names from functions', () => {
    expect(normalizeFunction('Object.<anonymous> 0x7ffee3b2')).to.equal('Object.');
    expect(normalizeFunction('t')).to.equal('?');
    expect(normalizeFunction('async handleCheckout')).to.equal('handleCheckout');
  });

  it('masks numbers, hex, UUIDs and quoted values in messages', () => {
    expect(maskVariables('User 42 not found in "shop-eu" at 0xdeadbeef id 123e4567-e89b-12d3-a456-426614174000')).to.equal(
      'User <num> not found in <str> at <hex> id <uuid>',
    );
    const m = (message: string) => key({ ...event('x', []), exception: undefined, message });
    expect(m('Timeout after 3000 ms for order 17')).to.equal(m('Timeout after 5000 ms for order 99'));
    expect(m('Timeout after 3000 ms')).to.not.equal(m('Connection refused'));
  });

  it('falls back to type and masked value when there are no frames', () => {
    const e = { ...event('ValidationError', []), exception: { values: [{ type: 'ValidationError', value: 'field 3 invalid' }] } };
    expect(defaultFingerprint(e)).to.deep.equal(['exception', 'ValidationError', 'field <num> invalid']);
  });

  it('lets a client fingerprint win, with {{ default }} standing for the default', () => {
    const frames = [{ filename: 'src/cart.js', function: 'total', in_app: true }];
    const a = event('TypeError', frames, { fingerprint: ['checkout-failure'] });
    const b = event('RangeError', [], { fingerprint: ['checkout-failure'] });
    expect(key(a)).to.equal(key(b));
    const c = event('TypeError', frames, { fingerprint: ['{{ default }}', 'tenant-1'] });
    const d = event('TypeError', frames, { fingerprint: ['{{default}}', 'tenant-2'] });
    expect(key(c)).to.not.equal(key(d));
    expect(resolveFingerprint(c)).to.include('tenant-1').and.include('TypeError');
  });
});
