import { expect } from 'chai';
import pg from 'pg';
import type { TestProject } from '@faultline/core/testing';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { api, errorEvent, postEvents } from './helpers/http.js';

describe('auth matrix', function () {
  this.timeout(30_000);
  let server: PostgresTestServer;
  let a: TestProject;
  let b: TestProject;
  let issueA: string;
  let issueB: string;
  let eventB: string;
  const tokens: Record<string, string> = {};

  before(async () => {
    server = await startPostgresTestServer({
      authorize: (req) => (req.get('x-host-session') === 'ops-team' ? { role: 'viewer', projectIds: [a.id] } : null),
    });
    a = server.project;
    b = await server.createProject('Project B');
    await postEvents(server, errorEvent(), { key: a.publicKey });
    const sentB = await postEvents(server, errorEvent({ type: 'SecretError' }), { key: b.publicKey });
    eventB = sentB.body.ids[0];
    issueA = (await api(server, `/projects/${a.id}/issues`, { token: a.secretToken })).body.data[0].id;
    issueB = (await api(server, `/projects/${b.id}/issues`, { token: b.secretToken })).body.data[0].id;
    for (const role of ['viewer', 'member', 'admin'] as const) {
      const res = await api(server, '/tokens', { token: server.adminToken, method: 'POST', body: { role, projectIds: [a.id], label: role } });
      expect(res.status).to.equal(201);
      tokens[role] = res.body.token;
    }
  });
  after(async () => server?.stop());

  it("a token of project A never sees project B's data: 404, not 403", async () => {
    for (const path of [`/projects/${b.id}/issues`, `/issues/${issueB}`, `/issues/${issueB}/events`, `/events/${eventB}`, `/projects/${b.id}/stats`, `/projects/${b.id}`]) {
      const res = await api(server, path, { token: tokens.admin });
      expect(res.status, path).to.equal(404);
      expect(JSON.stringify(res.body)).to.not.include('SecretError');
    }
    const patch = await api(server, `/issues/${issueB}`, { token: tokens.admin, method: 'PATCH', body: { status: 'resolved' } });
    expect(patch.status).to.equal(404);
    expect((await api(server, `/issues/${issueB}`, { token: b.secretToken })).body.status).to.equal('unresolved');
    const projects = await api(server, '/projects', { token: tokens.viewer });
    expect(projects.body.data.map((p: any) => p.id)).to.deep.equal([a.id]);
  });

  it('roles: viewers read, members change issues, admins manage keys; only global admins make projects and tokens', async () => {
    expect((await api(server, `/issues/${issueA}`, { token: tokens.viewer })).status).to.equal(200);
    const viewerPatch = await api(server, `/issues/${issueA}`, { token: tokens.viewer, method: 'PATCH', body: { status: 'ignored' } });
    expect(viewerPatch.status).to.equal(403);
    expect(viewerPatch.body.error.code).to.equal('FAULTLINE_ERR_AUTH_FORBIDDEN');
    expect((await api(server, `/issues/${issueA}`, { token: tokens.member, method: 'PATCH', body: { status: 'unresolved' } })).status).to.equal(200);
    expect((await api(server, `/projects/${a.id}/keys`, { token: tokens.member, method: 'POST', body: {} })).status).to.equal(403);
    const key = await api(server, `/projects/${a.id}/keys`, { token: tokens.admin, method: 'POST', body: { label: 'ci' } });
    expect(key.status).to.equal(201);
    expect(key.body.publicKey).to.match(/^[A-Za-z0-9_]+$/);
    expect(key.body.dsn).to.equal(`http://${key.body.publicKey}@${new URL(server.url).host}/faultline/${a.id}`);
    expect((await api(server, `/projects/${b.id}/keys`, { token: tokens.admin, method: 'POST', body: {} })).status).to.equal(404);
    expect((await api(server, '/projects', { token: tokens.admin, method: 'POST', body: { name: 'x' } })).status).to.equal(403);
    expect((await api(server, '/tokens', { token: tokens.admin, method: 'POST', body: { role: 'admin' } })).status).to.equal(403);
    const made = await api(server, '/projects', { token: server.adminToken, method: 'POST', body: { name: 'Made by admin' } });
    expect(made.status).to.equal(201);
    expect(made.body).to.include({ name: 'Made by admin', slug: 'made-by-admin' });
    expect(made.body.id).to.be.a('number');
  });

  it('missing, malformed, unknown and swapped credentials are 401', async () => {
    expect((await api(server, `/projects/${a.id}/issues`, { token: null })).body.error.code).to.equal('FAULTLINE_ERR_AUTH_MISSING');
    expect((await api(server, `/projects/${a.id}/issues`, { token: 'flt_nope' })).status).to.equal(401);
    expect((await api(server, `/projects/${a.id}/issues`, { token: a.publicKey })).status).to.equal(401);
    expect((await postEvents(server, errorEvent(), { key: a.secretToken })).status).to.equal(401);
  });

  it('revoked keys and tokens stop working', async () => {
    const made = await api(server, '/tokens', { token: server.adminToken, method: 'POST', body: { role: 'viewer', projectIds: [a.id] } });
    expect((await api(server, `/projects/${a.id}/issues`, { token: made.body.token })).status).to.equal(200);
    expect((await api(server, `/tokens/${made.body.id}`, { token: server.adminToken, method: 'DELETE' })).status).to.equal(204);
    expect((await api(server, `/projects/${a.id}/issues`, { token: made.body.token })).status).to.equal(401);

    const key = await api(server, `/projects/${a.id}/keys`, { token: tokens.admin, method: 'POST', body: {} });
    expect((await postEvents(server, errorEvent(), { key: key.body.publicKey })).status).to.equal(202);
    expect((await api(server, `/projects/${a.id}/keys/${key.body.id}`, { token: tokens.admin, method: 'DELETE' })).status).to.equal(204);
    expect((await postEvents(server, errorEvent(), { key: key.body.publicKey })).status).to.equal(401);
  });

  it('a key limited to some origins refuses others', async () => {
    const key = await api(server, `/projects/${a.id}/keys`, { token: tokens.admin, method: 'POST', body: { allowedOrigins: ['https://shop.example'] } });
    const ok = await postEvents(server, errorEvent(), { key: key.body.publicKey, headers: { origin: 'https://shop.example' } });
    expect(ok.status).to.equal(202);
    const refused = await postEvents(server, errorEvent(), { key: key.body.publicKey, headers: { origin: 'https://evil.example' } });
    expect(refused.status).to.equal(403);
    expect(refused.body.error.code).to.equal('FAULTLINE_ERR_INGEST_ORIGIN');
  });

  it("the host's authorize(req) can grant access instead of a token", async () => {
    const res = await fetch(`${server.url}/api/v1/projects/${a.id}/issues`, { headers: { 'x-host-session': 'ops-team' } });
    expect(res.status).to.equal(200);
    const other = await fetch(`${server.url}/api/v1/projects/${b.id}/issues`, { headers: { 'x-host-session': 'ops-team' } });
    expect(other.status).to.equal(404);
  });

  it('stores keys and tokens only as hashes', async () => {
    const client = new pg.Client({ connectionString: server.database.url });
    await client.connect();
    try {
      const dump = JSON.stringify((await client.query('SELECT * FROM public_keys')).rows) + JSON.stringify((await client.query('SELECT * FROM tokens')).rows);
      for (const secret of [a.publicKey, b.publicKey, a.secretToken, ...Object.values(tokens)]) expect(dump).to.not.include(secret);
    } finally {
      await client.end();
    }
  });

  it('rate-limits a key with 429 and Retry-After', async () => {
    const limited = await startPostgresTestServer({ rateLimitPerMinute: 3 });
    try {
      const first = await postEvents(limited, { events: [errorEvent(), errorEvent(), errorEvent()] });
      expect(first.status).to.equal(202);
      const over = await postEvents(limited, errorEvent());
      expect(over.status).to.equal(429);
      expect(over.body.error.code).to.equal('FAULTLINE_ERR_INGEST_RATE_LIMITED');
      expect(Number(over.headers.get('retry-after'))).to.be.greaterThan(0);
      // Once turned away, the key's next bodies are refused before they are read: garbage gets the 429, not a 400.
      const garbage = await postEvents(limited, '{"events": [ not json', { raw: true });
      expect(garbage.status).to.equal(429);
      expect(Number(garbage.headers.get('retry-after'))).to.be.greaterThan(0);
    } finally {
      await limited.stop();
    }
  });
});
