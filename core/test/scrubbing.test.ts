import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { storedEvent } from './sentry-helpers.js';

const NODE_APP = fileURLToPath(new URL('./fixtures/sentry/node-sdk-app.ts', import.meta.url));
const F = '[Filtered]';

async function runNodeApp(dsn: string, scenario: string): Promise<Record<string, string>> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', NODE_APP, dsn, scenario], { encoding: 'utf8', timeout: 30_000 });
  const result = JSON.parse(stdout.trim().split('\n').pop()!);
  expect(result.flushed, 'Sentry.flush resolved true').to.equal(true);
  return result.ids;
}

async function call(server: PostgresTestServer, path: string, method = 'GET', body?: unknown, token = server.adminToken): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

/** A native event carrying a secret in every part of an event. */
function nativeEventWithSecrets(): Record<string, unknown> {
  return {
    event_id: randomUUID().replaceAll('-', ''),
    level: 'error',
    platform: 'node',
    message: 'declined 4111-1111-1111-1111 for ops@example.com at 198.51.100.7',
    exception: {
      values: [
        {
          type: 'Error',
          value: 'card 5500 0000 0000 0004 refused',
          stacktrace: { frames: [{ filename: 'pay.js', function: 'pay', lineno: 3, vars: { password: 'pw', amount: 5, secret_sauce: 'x' } }] },
        },
      ],
    },
    breadcrumbs: [{ category: 'http', data: { url: 'https://api.example.com/x?api_key=k1&page=2', Authorization: 'Bearer q' } }],
    user: { id: 'u1', email: 'ops@example.com', ip_address: '198.51.100.7' },
    tags: { csrf_token: 't', region: 'eu' },
    contexts: { billing: { creditCardNumber: '378282246310005', plan: 'pro' } },
    request: {
      url: 'https://shop.example.com/pay?token=abc&lang=en',
      method: 'POST',
      query_string: 'token=abc&lang=en',
      headers: { Authorization: 'Basic Zm9v', Cookie: 'a=b', 'User-Agent': 'curl' },
      data: 'username=ops&password=pw&remember=1',
    },
    extra: { passwd: 'pw', nested: { sessionKey: 's', safe: 'ok', deeper: [{ PRIVATE_KEY: 'pk' }] }, big: 4111111111111111, ordinary: 1234567890123 },
  };
}

async function postNative(server: PostgresTestServer, event: unknown, key = server.project.publicKey): Promise<Response> {
  return fetch(`${server.url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(event) });
}

/** What a stored event holds besides its time of arrival, which differs between two servers. */
function withoutTimes(event: any): any {
  const { received: _received, ...rest } = event;
  return rest;
}

describe('scrubbing: secrets are filtered on the server before anything is stored', function () {
  this.timeout(60_000);

  describe('with the defaults (threads on)', () => {
    let server: PostgresTestServer;
    before(async () => {
      server = await startPostgresTestServer({ ingestThreads: 1 });
    });
    after(() => server?.stop());

    it('filters secret keys in every part, card numbers in every string, and keeps the rest', async () => {
      const sent = nativeEventWithSecrets();
      expect((await postNative(server, sent)).status).to.equal(202);
      const { event: e } = await storedEvent(server, sent.event_id as string);
      expect(e.message).to.equal(`declined ${F} for ops@example.com at 198.51.100.7`); // e-mails and IPs only when a project asks
      expect(e.exception.values[0].value).to.equal(`card ${F} refused`);
      expect(e.exception.values[0].stacktrace.frames[0].vars).to.deep.equal({ password: F, amount: 5, secret_sauce: F });
      expect(e.exception.values[0].stacktrace.frames[0]).to.include({ filename: 'pay.js', function: 'pay' });
      expect(e.breadcrumbs[0].data).to.deep.equal({ url: `https://api.example.com/x?api_key=${F}&page=2`, Authorization: F });
      expect(e.user).to.include({ email: 'ops@example.com', ip_address: '198.51.100.7' });
      expect(e.tags).to.deep.include({ csrf_token: F, region: 'eu' });
      expect(e.contexts.billing).to.deep.equal({ creditCardNumber: F, plan: 'pro' });
      expect(e.request.url).to.equal(`https://shop.example.com/pay?token=${F}&lang=en`);
      expect(e.request.query_string).to.equal(`token=${F}&lang=en`);
      expect(e.request.headers).to.deep.equal({ Authorization: F, Cookie: F, 'User-Agent': 'curl' });
      expect(e.request.data).to.equal(`username=ops&password=${F}&remember=1`);
      expect(e.extra).to.deep.equal({ passwd: F, nested: { sessionKey: F, safe: 'ok', deeper: [{ PRIVATE_KEY: F }] }, big: F, ordinary: 1234567890123 });
      // and the bytes storage keeps hold none of it either
      const client = new pg.Client({ connectionString: server.database.url });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT payload AS p FROM events WHERE event_id = $1`, [sent.event_id]);
        expect(rows[0].p).to.not.match(/Zm9v|token=abc|4111-1111|"pk"|"pw"/);
      } finally {
        await client.end();
      }
    });

    it('filters what the real @sentry/node SDK sends, with the project rules (custom keys and patterns, e-mails, IPs)', async () => {
      const put = await call(server, `/projects/${server.project.id}/scrubbing`, 'PUT', {
        keys: ['my_internal_id'],
        patterns: ['sk_live_[a-z0-9]+'],
        emails: true,
        ipAddresses: true,
      });
      expect(put.status).to.equal(200);
      const ids = await runNodeApp(server.project.dsn, 'secrets');
      const { event: e } = await storedEvent(server, ids.secrets);

      expect(e.extra).to.deep.include({ db_password: F, note: `customer paid with ${F} yesterday`, orderNumber: '4111111111111112' }); // fails Luhn: kept
      expect(e.contexts.payment).to.deep.equal({ credit_card: F, gateway: 'acme', apiKey: F });
      expect(e.tags).to.include({ session_id: F });
      expect(e.user).to.include({ id: 'user-9', email: F, ip_address: F });
      const http = e.breadcrumbs.find((b: any) => b.category === 'http');
      expect(http.data).to.deep.include({ url: `https://api.example.com/v1/charge?token=${F}&amount=5`, authorization: F, method: 'POST' });
      const custom = e.breadcrumbs.find((b: any) => b.category === 'custom');
      expect(custom.message).to.equal(`internal ref ${F}`);
      expect(custom.data).to.deep.equal({ my_internal_id: F });
      expect(e.request.url).to.equal(`https://shop.example.com/checkout?session=${F}&step=2`);
      expect(e.request.query_string).to.equal(`session=${F}&step=2`);
      expect(e.request.headers).to.deep.include({ Authorization: F, Cookie: F, 'X-Csrf-Token': F, Accept: 'text/html' });
      expect(e.request.cookies).to.equal(F);
      expect(e.request.data).to.deep.equal({ username: 'grace', password: F, card: { cvv: F, number: F } });
      const thrown = e.exception.values.at(-1);
      expect(thrown.value).to.equal(`charge failed for card ${F}`);
      const frame = thrown.stacktrace.frames.find((f: any) => f.vars && 'password' in f.vars);
      expect(frame?.vars, 'the SDK sent local variables').to.deep.include({ password: F, cardNumber: F });
    });

    it('a change of rules applies to the next event on this node', async () => {
      await call(server, `/projects/${server.project.id}/scrubbing`, 'PUT', { keys: [] });
      const before: Record<string, unknown> = { ...nativeEventWithSecrets(), extra: { region_code: 'r-1' } };
      await postNative(server, before);
      expect((await storedEvent(server, before.event_id as string)).event.extra).to.deep.equal({ region_code: 'r-1' });
      await call(server, `/projects/${server.project.id}/scrubbing`, 'PUT', { keys: ['region-code'] });
      const after: Record<string, unknown> = { ...nativeEventWithSecrets(), extra: { region_code: 'r-1' } };
      await postNative(server, after);
      expect((await storedEvent(server, after.event_id as string)).event.extra).to.deep.equal({ region_code: F });
    });
  });

  it('ingest threads on and off store the same events', async () => {
    const rules = { keys: ['tenant'], patterns: ['ref-[0-9]+'], emails: true, ipAddresses: true };
    const stored: any[] = [];
    for (const ingestThreads of [2, 0]) {
      const server = await startPostgresTestServer({ ingestThreads });
      try {
        await call(server, `/projects/${server.project.id}/scrubbing`, 'PUT', rules);
        const event = { ...nativeEventWithSecrets(), event_id: 'ab'.repeat(16), timestamp: '2026-01-02T03:04:05.000Z', tags: { tenant: 'acme', ref: 'ref-42' } };
        expect((await postNative(server, event)).status).to.equal(202);
        stored.push(withoutTimes((await storedEvent(server, event.event_id)).event));
      } finally {
        await server.stop();
      }
    }
    expect(stored[0].tags).to.deep.include({ tenant: F, ref: F });
    expect(stored[0].user).to.include({ email: F, ip_address: F });
    expect(stored[1]).to.deep.equal(stored[0]);
  });

  it('scrubbing: false stores events as sent', async () => {
    const server = await startPostgresTestServer({ scrubbing: false });
    try {
      const sent = nativeEventWithSecrets();
      await postNative(server, sent);
      const { event } = await storedEvent(server, sent.event_id as string);
      expect(event.extra.passwd).to.equal('pw');
      expect(event.request.headers.Authorization).to.equal('Basic Zm9v');
    } finally {
      await server.stop();
    }
  });

  describe('GET/PUT /api/v1/projects/:id/scrubbing', () => {
    let server: PostgresTestServer;
    before(async () => {
      server = await startPostgresTestServer();
    });
    after(() => server?.stop());
    const path = () => `/projects/${server.project.id}/scrubbing`;

    it('answers the defaults for a project that set none, and the saved rules with a growing version', async () => {
      const fresh = await server.createProject('fresh');
      expect((await call(server, `/projects/${fresh.id}/scrubbing`)).body).to.deep.equal({ keys: [], patterns: [], emails: false, ipAddresses: false, version: 0, updatedAt: null });
      const first = await call(server, `/projects/${fresh.id}/scrubbing`, 'PUT', { keys: ['iban'], emails: true });
      expect(first.body).to.include({ emails: true, ipAddresses: false, version: 1 });
      expect(first.body.keys).to.deep.equal(['iban']);
      const second = await call(server, `/projects/${fresh.id}/scrubbing`, 'PUT', { patterns: ['x{3}'] });
      expect(second.body).to.include({ emails: false, version: 2 });
      expect((await call(server, `/projects/${fresh.id}/scrubbing`)).body).to.deep.equal(second.body);
    });

    it('refuses bad rules with a 400 naming the field', async () => {
      for (const [body, field] of [
        [{ patterns: ['ok', '(a)\\1'] }, 'patterns[1]'],
        [{ patterns: ['(?<=a)b'] }, 'patterns[0]'],
        [{ patterns: ['['] }, 'patterns[0]'],
        [{ keys: [5] }, 'keys[0]'],
        [{ emails: 'yes' }, 'emails'],
        [{ other: 1 }, 'other'],
      ] as const) {
        const res = await call(server, path(), 'PUT', body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.body.error).to.include({ code: 'FAULTLINE_ERR_REQUEST_INVALID', path: field });
      }
    });

    it('runs a pattern that backtracks catastrophically elsewhere in linear time (RE2)', async () => {
      expect((await call(server, path(), 'PUT', { patterns: ['(a+)+$'] })).status).to.equal(200);
      const event: Record<string, unknown> = { ...nativeEventWithSecrets(), message: `${'a'.repeat(10_000)}!` };
      expect((await postNative(server, event)).status).to.equal(202);
      expect((await storedEvent(server, event.event_id as string)).event.message).to.equal(`${'a'.repeat(10_000)}!`);
      const matching: Record<string, unknown> = { ...nativeEventWithSecrets(), message: 'x aaaa' };
      await postNative(server, matching);
      expect((await storedEvent(server, matching.event_id as string)).event.message).to.equal(`x ${F}`);
    });

    it('is for admins only, 404s an unknown project, and is recorded in the audit log', async () => {
      expect((await call(server, path(), 'GET', undefined, server.project.secretToken)).status).to.equal(403);
      expect((await call(server, path(), 'PUT', { keys: ['x'] }, server.project.secretToken)).status).to.equal(403);
      expect((await call(server, '/projects/999999/scrubbing', 'PUT', { keys: ['x'] })).status).to.equal(404);
      await call(server, path(), 'PUT', { keys: ['audited_key'] });
      const audit = await call(server, `/audit?project=${server.project.id}`);
      const entry = audit.body.data.find((a: any) => a.action === 'scrubbing.update' && a.details.keys?.includes('audited_key'));
      expect(entry).to.include({ projectId: server.project.id, actor: 'admin-token' });
      expect(entry.ip).to.be.a('string');
    });
  });
});
