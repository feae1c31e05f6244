import { expect } from 'chai';
import { startTestServer, type TestServer } from '@faultline/plugin-storage-postgres/testing';
import { createToken } from '@faultline/core';
import { api } from './helpers/http.js';

describe('audit log of admin actions', function () {
  this.timeout(60_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => server?.stop());

  const asAdmin = (path: string, method = 'GET', body?: unknown) => api(server, path, { token: server.adminToken, method, body });

  it('records who did what, to what, when and from where, and never a secret', async () => {
    const project = await asAdmin('/projects', 'POST', { name: 'Audited' });
    expect(project.status).to.equal(201);
    const key = await asAdmin(`/projects/${project.body.id}/keys`, 'POST', { label: 'second' });
    expect(key.status).to.equal(201);
    expect((await asAdmin(`/projects/${project.body.id}/keys/${key.body.id}`, 'DELETE')).status).to.equal(204);
    const token = await asAdmin('/tokens', 'POST', { role: 'viewer', projectIds: [project.body.id] });
    expect(token.status).to.equal(201);
    expect((await asAdmin(`/tokens/${token.body.id}`, 'DELETE')).status).to.equal(204);

    const log = await asAdmin('/audit');
    expect(log.status).to.equal(200);
    const actions = log.body.data.map((e: any) => e.action);
    expect(actions.slice(0, 5)).to.deep.equal(['token.revoke', 'token.create', 'key.revoke', 'key.create', 'project.create']);
    for (const entry of log.body.data.slice(0, 5)) {
      expect(entry.actor).to.equal('admin-token');
      expect(entry.ip).to.match(/127\.0\.0\.1/);
      expect(Date.now() - Date.parse(entry.at)).to.be.below(600_000);
    }
    expect(log.body.data[3]).to.include({ projectId: project.body.id, target: String(key.body.id) });
    const text = JSON.stringify(log.body);
    for (const secret of [project.body.publicKey, key.body.publicKey, token.body.token]) expect(text).not.to.include(secret);
  });

  it('a project admin reads only its projects; members and viewers are refused', async () => {
    const other = await asAdmin('/projects', 'POST', { name: 'Other' });
    await asAdmin(`/projects/${other.body.id}/keys`, 'POST', { label: 'x' });
    const { token: projectAdmin } = await createToken(server.faultline.storage, { role: 'admin', projectIds: [other.body.id], label: 'pa' });
    const scoped = await api(server, '/audit', { token: projectAdmin });
    expect(scoped.status).to.equal(200);
    expect(scoped.body.data.length).to.be.greaterThan(0);
    expect(scoped.body.data.every((e: any) => e.projectId === other.body.id)).to.equal(true);
    expect((await api(server, `/audit?project=${server.project.id}`, { token: projectAdmin })).status).to.equal(404);
    const member = await api(server, '/audit');
    expect(member.status).to.equal(403);
    expect(member.body.error.code).to.equal('FAULTLINE_ERR_AUTH_FORBIDDEN');
  });

  it('pages newest first with a cursor, and refuses a forged one', async () => {
    const first = await asAdmin('/audit?limit=2');
    expect(first.body.data).to.have.length(2);
    expect(first.body.nextCursor).to.be.a('string');
    const second = await asAdmin(`/audit?limit=2&cursor=${first.body.nextCursor}`);
    expect(Number(second.body.data[0].id)).to.be.below(Number(first.body.data[1].id));
    const forged = await asAdmin('/audit?cursor=not-a-cursor');
    expect(forged.status).to.equal(400);
    expect(forged.body.error.code).to.equal('FAULTLINE_ERR_QUERY_CURSOR');
    const bad = await asAdmin('/audit?limit=1000');
    expect(bad.status).to.equal(400);
    expect(bad.body.error.path).to.match(/limit/);
  });
});
