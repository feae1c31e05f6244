import { expect } from 'chai';
import { AlertChannelRegistry } from '@faultline/core';
import { alertChannelContract, alertMessage, startHttpReceiver, type HttpReceiver } from '@faultline/core/testing';
import { verifySignature, webhookChannel } from '../src/index.js';

const SECRET = 'a-webhook-secret-of-some-length';

alertChannelContract(async () => {
  const receiver = await startHttpReceiver();
  return {
    channel: webhookChannel(),
    config: { url: `${receiver.url}/hooks/faultline`, secret: SECRET },
    failingConfig: { url: `${receiver.url}/gone`, secret: SECRET },
    invalidConfig: { config: { url: `${receiver.url}/hooks`, secret: 'short' }, path: 'config.secret' },
    async received() {
      return receiver.received.map((r) => ({ messageId: (r.headers['x-faultline-alert-id'] as string) ?? null, text: r.body }));
    },
    close: () => receiver.close(),
  };
}, 'webhook (HTTP on loopback)');

describe('webhook channel: payload and signature', function () {
  this.timeout(20_000);
  let receiver: HttpReceiver;
  let registry: AlertChannelRegistry;
  const now = 1_800_000_000;
  beforeEach(async () => {
    receiver = await startHttpReceiver();
    registry = new AlertChannelRegistry();
    registry.register('test', webhookChannel({ now: () => now }));
  });
  afterEach(() => receiver.close());

  async function deliver() {
    await registry.send('webhook', alertMessage('hook-1', 'New issue in Checkout: TypeError'), { url: `${receiver.url}/in`, secret: SECRET, headers: { 'X-Api-Key': 'k1', 'Content-Type': 'text/plain' } });
    return receiver.received[0];
  }

  it('POSTs the documented JSON with a timestamp and a signature the receiver verifies', async () => {
    const req = await deliver();
    const payload = JSON.parse(req.body);
    expect(payload).to.include({ version: 1, id: 'hook-1', reason: 'issue:created', title: 'New issue in Checkout: TypeError', level: 'error', url: 'https://example.test/issues/1' });
    expect(payload.project).to.deep.equal({ id: 1, name: 'Checkout', slug: 'checkout' });
    expect(req.headers['content-type']).to.equal('application/json');
    expect(req.headers['x-api-key']).to.equal('k1');
    expect(req.headers['x-faultline-timestamp']).to.equal(String(now));
    expect(req.headers['x-faultline-signature']).to.match(/^v1=[0-9a-f]{64}$/);
    const check = { secret: SECRET, body: req.body, timestamp: req.headers['x-faultline-timestamp'] as string, signature: req.headers['x-faultline-signature'] as string, now: now + 10 };
    expect(verifySignature(check)).to.deep.equal({ ok: true });
  });

  it('a tampered body, a wrong secret, a missing header or a replay later fails verification', async () => {
    const req = await deliver();
    const base = { secret: SECRET, body: req.body, timestamp: req.headers['x-faultline-timestamp'] as string, signature: req.headers['x-faultline-signature'] as string, now };
    expect(verifySignature({ ...base, body: req.body.replace('TypeError', 'TypoError') })).to.deep.equal({ ok: false, reason: 'mismatch' });
    expect(verifySignature({ ...base, secret: 'another-secret-of-length' })).to.deep.equal({ ok: false, reason: 'mismatch' });
    expect(verifySignature({ ...base, timestamp: String(now + 1) })).to.deep.equal({ ok: false, reason: 'mismatch' });
    expect(verifySignature({ ...base, signature: undefined })).to.deep.equal({ ok: false, reason: 'missing' });
    expect(verifySignature({ ...base, now: now + 301 })).to.deep.equal({ ok: false, reason: 'stale' });
  });
});
