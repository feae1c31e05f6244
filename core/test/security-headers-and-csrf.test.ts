import { expect } from 'chai';
import type { Request } from 'express';
import { startTestServer, type TestServer } from '@faultline/plugin-storage-postgres/testing';
import { createFaultline } from '@faultline/core';
import { secretsEqual } from '../src/auth/secrets.js';
import { errorEvent, postEvents } from './helpers/http.js';

/** The host app's own session: a cookie it set, standing for what a real host's authorize() would read. */
const hostSession = (req: Request) => (req.get('cookie')?.includes('session=admin') ? { role: 'admin' as const, projectIds: null } : null);

describe('security headers, cross-site refusal and secret comparison', function () {
  this.timeout(60_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ authorize: hostSession, trustedOrigins: ['https://admin.example.com'] });
  });
  after(async () => server?.stop());

  const createProject = (headers: Record<string, string>) =>
    fetch(`${server.url}/api/v1/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ name: `p-${Math.random().toString(36).slice(2, 8)}` }),
    });

  it('query and admin answers carry helmet headers; ingest answers do not', async () => {
    const query = await fetch(`${server.url}/api/v1/projects/${server.project.id}/issues`, {
      headers: { authorization: `Bearer ${server.project.secretToken}` },
    });
    expect(query.status).to.equal(200);
    expect(query.headers.get('content-security-policy')).to.include("default-src 'none'");
    expect(query.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(query.headers.get('cross-origin-resource-policy')).to.equal('same-origin');
    expect(query.headers.get('strict-transport-security')).to.include('max-age=');
    const refused = await fetch(`${server.url}/api/v1/projects`);
    expect(refused.status).to.equal(401);
    expect(refused.headers.get('x-content-type-options')).to.equal('nosniff');

    const ingest = await postEvents(server, errorEvent());
    expect(ingest.status).to.equal(202);
    expect(ingest.headers.get('content-security-policy')).to.equal(null);
    expect(ingest.headers.get('cross-origin-resource-policy')).to.equal(null);
  });

  it('a state change with the host session from another site is refused with a coded 403', async () => {
    const res = await createProject({ cookie: 'session=admin', origin: 'https://evil.example' });
    expect(res.status).to.equal(403);
    const body: any = await res.json();
    expect(body.error.code).to.equal('FAULTLINE_ERR_AUTH_CROSS_SITE');
    expect(body.error.message).to.include('https://evil.example');

    const noOrigin = await createProject({ cookie: 'session=admin', 'sec-fetch-site': 'cross-site' });
    expect(noOrigin.status).to.equal(403);
  });

  it('the same change from this site, a trusted origin, a non-browser client or with a bearer token goes through', async () => {
    const host = new URL(server.url).host;
    expect((await createProject({ cookie: 'session=admin', origin: `http://${host}` })).status).to.equal(201);
    expect((await createProject({ cookie: 'session=admin', origin: 'https://admin.example.com' })).status).to.equal(201);
    expect((await createProject({ cookie: 'session=admin', 'sec-fetch-site': 'same-origin' })).status).to.equal(201);
    expect((await createProject({ cookie: 'session=admin' })).status).to.equal(201);
    const bearer = await createProject({ authorization: `Bearer ${server.adminToken}`, origin: 'https://evil.example' });
    expect(bearer.status).to.equal(201);
  });

  it('reads are not limited: a cross-site GET gets its answer (CORS and CORP decide what the page may read)', async () => {
    const res = await fetch(`${server.url}/api/v1/projects`, { headers: { cookie: 'session=admin', origin: 'https://evil.example' } });
    expect(res.status).to.equal(200);
  });

  it('a trusted origin that is not an origin fails start-up naming the setting', async () => {
    try {
      await createFaultline({ plugins: [], trustedOrigins: ['https://admin.example.com/path'] });
      expect.fail('should not start');
    } catch (err: any) {
      expect(err.code).to.equal('FAULTLINE_ERR_CONFIG_INVALID');
      expect(err.path).to.equal('trustedOrigins[0]');
    }
  });

  it('the admin token is compared in constant time and still admits its holder only', async () => {
    expect(secretsEqual('a-secret-value', 'a-secret-value')).to.equal(true);
    expect(secretsEqual('a-secret-value', 'a-secret-valuf')).to.equal(false);
    expect(secretsEqual('short', 'a-much-longer-secret')).to.equal(false);
    const good = await fetch(`${server.url}/api/v1/tokens`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    expect(good.status).to.equal(200);
    const bad = await fetch(`${server.url}/api/v1/tokens`, { headers: { authorization: `Bearer ${server.adminToken}x` } });
    expect(bad.status).to.equal(401);
  });
});
