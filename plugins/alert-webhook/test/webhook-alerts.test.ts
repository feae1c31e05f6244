import { expect } from 'chai';
import { createToken } from '@faultline/core';
import { startHttpReceiver, startTestServer, type HttpReceiver, type TestServer } from '@faultline/core/testing';
import { alertWebhook, verifySignature } from '../src/index.js';

const SECRET = 'whsec-0123456789abcdef-tail';

/** A real Faultline (in-memory storage) with a webhook rule made through the API. */
describe('alert-webhook end to end', function () {
  this.timeout(30_000);
  let server: TestServer;
  let receiver: HttpReceiver;
  let admin: string;

  before(async () => {
    receiver = await startHttpReceiver();
    server = await startTestServer({ plugins: [alertWebhook()], alerts: { issueUrl: 'https://app.example.com/issues/{id}' } });
    admin = (await createToken(server.faultline.storage, { role: 'admin', projectIds: [server.project.id], label: 'hooks' })).token;
  });
  after(async () => {
    await server?.stop();
    await receiver?.close();
  });

  const call = (path: string, method = 'GET', body?: unknown) =>
    fetch(`${server.url}/api/v1/projects/${server.project.id}/alert-rules${path}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

  it('masks the URL and secret in answers, and delivers a signed payload for a new issue', async () => {
    const hookUrl = `${receiver.url}/hooks/token-abcdef`;
    const created = await call('', 'POST', { name: 'Hook', trigger: { type: 'issue.created' }, actions: [{ channel: 'webhook', url: hookUrl, secret: SECRET }] });
    expect(created.status).to.equal(201);
    const rule = (await created.json()) as { id: string; actions: unknown[] };
    expect(rule.actions[0]).to.deep.equal({ channel: 'webhook', url: '****cdef', secret: '****tail' });
    const listed = await (await call('')).text();
    expect(listed).not.to.contain('token-abcdef').and.not.to.contain('0123456789');

    const ingest = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.project.publicKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ level: 'error', exception: { values: [{ type: 'HookedError', value: 'boom' }] } }),
    });
    expect(ingest.status).to.equal(202);
    for (let i = 0; i < 100 && receiver.received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const [req] = receiver.received;
    expect(req.path).to.equal('/hooks/token-abcdef');
    const payload = JSON.parse(req.body);
    expect(payload).to.include({ version: 1, reason: 'issue:created' });
    expect(payload.issue.type).to.equal('HookedError');
    expect(payload.url).to.equal(`https://app.example.com/issues/${payload.issue.id}`);
    expect(verifySignature({ secret: SECRET, body: req.body, timestamp: req.headers['x-faultline-timestamp'] as string, signature: req.headers['x-faultline-signature'] as string })).to.deep.equal({ ok: true });

    const deliveries = (await (await call(`/${rule.id}/deliveries`)).json()) as { data: { status: string }[] };
    for (let i = 0; i < 50 && deliveries.data[0]?.status !== 'sent'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      Object.assign(deliveries, await (await call(`/${rule.id}/deliveries`)).json());
    }
    expect(deliveries.data[0]).to.include({ status: 'sent', channel: 'webhook', attempts: 1 });
    expect(JSON.stringify(deliveries)).not.to.contain(SECRET);
  });
});
