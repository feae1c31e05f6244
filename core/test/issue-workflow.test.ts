import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { startPostgresTestServer as startTestServer, type PostgresTestServer as TestServer } from '@faultline/plugin-storage-postgres/testing';
import type { TestProject } from '@faultline/core/testing';
import { createToken, type Issue } from '../src/index.js';
import { api, errorEvent, postEvents } from './helpers/http.js';
import { eventually } from './sentry-helpers.js';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
// Absolute, so the child finds the loader.
const tsx = import.meta.resolve('tsx');

type Update = { issue: Issue; previous: Issue };

/**
 * Status changes go through the issue workflow whichever way they come (one issue, bulk, CLI), and each
 * real change is announced once on the `issue:updated` hook and on pubsub with the issue before and after.
 */
describe('issue workflow: resolve, ignore, unresolve, and issue:updated', function () {
  this.timeout(60_000);
  let server: TestServer;
  let other: TestProject;
  let hooked: Update[];
  let published: Update[];

  before(async () => {
    server = await startTestServer();
    other = await server.createProject('Other');
    server.faultline.hooks.tap('issue:updated', (update) => void hooked.push(update));
    server.faultline.pubsub.subscribe('issue:updated', (update) => void published.push(update));
  });
  after(async () => server?.stop());
  beforeEach(() => {
    hooked = [];
    published = [];
  });

  /** New issues of the test project, one per error type, as the caller of the test names them. */
  async function newIssues(project: TestProject, ...types: string[]): Promise<string[]> {
    const res = await postEvents(server, { events: types.map((type) => errorEvent({ type })) }, { key: project.publicKey });
    expect(res.status).to.equal(202);
    const ids: string[] = [];
    for (const type of types) {
      const found = await eventually(async () => {
        const list = await api(server, `/projects/${project.id}/issues?query=${encodeURIComponent(`is:unresolved ${type}`)}`, { token: project.secretToken });
        return list.body.data?.find((i: Issue) => i.type === type);
      }, `issue ${type}`);
      ids.push(found.id);
    }
    return ids;
  }
  const announced = (list: Update[]) => list.map((u) => [u.issue.id, u.previous.status, u.issue.status]);
  const settle = () => new Promise((r) => setTimeout(r, 50)); // announcements are not awaited by the answer

  it('PATCH /issues/:id changes the status and announces it on the hook and on pubsub, with previous', async () => {
    const [id] = await newIssues(server.project, 'PatchOneError');
    const res = await api(server, `/issues/${id}`, { method: 'PATCH', body: { status: 'resolved' } });
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ id, status: 'resolved' });
    await eventually(async () => hooked.length === 1 && published.length === 1, 'issue:updated');
    expect(announced(hooked)).to.deep.equal([[id, 'unresolved', 'resolved']]);
    expect(announced(published)).to.deep.equal([[id, 'unresolved', 'resolved']]);
    expect(published[0].issue).to.deep.equal(res.body);
  });

  it('announces nothing when the status does not change', async () => {
    const [id] = await newIssues(server.project, 'SameStatusError');
    const res = await api(server, `/issues/${id}`, { method: 'PATCH', body: { status: 'unresolved' } });
    expect(res.status).to.equal(200);
    expect(res.body.status).to.equal('unresolved');
    const bulk = await api(server, `/projects/${server.project.id}/issues?id=${id}`, { method: 'PATCH', body: { status: 'unresolved' } });
    expect(bulk.status).to.equal(200);
    await settle();
    expect(hooked).to.deep.equal([]);
    expect(published).to.deep.equal([]);
  });

  it('bulk PATCH /projects/:id/issues changes every issue named in the query or the body', async () => {
    const [a, b, c] = await newIssues(server.project, 'BulkAError', 'BulkBError', 'BulkCError');
    const byQuery = await api(server, `/projects/${server.project.id}/issues?id=${a}&id=${b}`, { method: 'PATCH', body: { status: 'ignored' } });
    expect(byQuery.status).to.equal(200);
    expect(byQuery.body.data.map((i: Issue) => [i.id, i.status])).to.deep.equal([[a, 'ignored'], [b, 'ignored']]);
    const byBody = await api(server, `/projects/${server.project.id}/issues`, { method: 'PATCH', body: { status: 'resolved', ids: [b, c] } });
    expect(byBody.body.data.map((i: Issue) => [i.id, i.status])).to.deep.equal([[b, 'resolved'], [c, 'resolved']]);
    await eventually(async () => published.length === 4, 'four issue:updated');
    expect(announced(hooked)).to.have.deep.members([[a, 'unresolved', 'ignored'], [b, 'unresolved', 'ignored'], [b, 'ignored', 'resolved'], [c, 'unresolved', 'resolved']]);
    expect(announced(published)).to.have.deep.members(announced(hooked));
  });

  it('keeps the auth rules: members of the project only, and nothing changes when one id is out of scope', async () => {
    const [mine] = await newIssues(server.project, 'ScopeError');
    const [theirs] = await newIssues(other, 'TheirError');
    const { token: viewer } = await createToken(server.faultline.storage, { role: 'viewer', projectIds: [server.project.id], label: 'viewer' });
    const patch = (path: string, token?: string, body: object = { status: 'resolved' }) => api(server, path, { method: 'PATCH', body, token });

    expect((await patch(`/issues/${mine}`, viewer)).status).to.equal(403);
    expect((await patch(`/projects/${server.project.id}/issues?id=${mine}`, viewer)).status).to.equal(403);
    expect((await patch(`/issues/${theirs}`)).status, "another project's issue").to.equal(404);
    expect((await patch(`/projects/${other.id}/issues?id=${theirs}`)).status, 'another project').to.equal(404);
    const mixed = await patch(`/projects/${server.project.id}/issues?id=${mine}&id=${theirs}`);
    expect(mixed.status).to.equal(404);
    expect(mixed.body.error).to.deep.include({ code: 'FAULTLINE_ERR_NOT_FOUND', message: `Issue ${theirs} not found` });
    expect((await api(server, `/issues/${mine}`)).body.status, 'nothing changed').to.equal('unresolved');

    expect((await patch(`/projects/${server.project.id}/issues`)).body.error.code, 'no ids').to.equal('FAULTLINE_ERR_REQUEST_INVALID');
    expect((await patch(`/projects/${server.project.id}/issues?id=abc`)).body.error.path).to.equal('id');
    expect((await patch(`/issues/${mine}`, undefined, { status: 'done' })).body.error).to.include({ code: 'FAULTLINE_ERR_REQUEST_INVALID', path: 'status' });
    const many = Array.from({ length: 101 }, (_, i) => String(i + 1));
    expect((await patch(`/projects/${server.project.id}/issues`, undefined, { status: 'resolved', ids: many })).status).to.equal(400);
    await settle();
    expect(hooked).to.deep.equal([]);
  });

  it('regressions stay with the batch: a resolved issue that recurs is reopened by storage, not announced as updated', async () => {
    const [id] = await newIssues(server.project, 'RegressError');
    await api(server, `/issues/${id}`, { method: 'PATCH', body: { status: 'resolved' } });
    await eventually(async () => hooked.length === 1, 'issue:updated');
    const regressed: Issue[] = [];
    const off = server.faultline.hooks.tap('issue:regressed', ({ issue }) => void regressed.push(issue));
    try {
      await postEvents(server, errorEvent({ type: 'RegressError' }));
      await eventually(async () => regressed.length === 1, 'issue:regressed');
      expect(regressed[0]).to.include({ id, status: 'unresolved' });
      await settle();
      expect(hooked).to.have.length(1);
    } finally {
      off();
    }
  });

  describe('faultline issues resolve|ignore|unresolve', () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', tsx, '--conditions=faultline-source', cli, ...args], {
          env: { ...process.env, FAULTLINE_LOG_LEVEL: 'warn', FAULTLINE_DATABASE_URL: server.database.url },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });

    it('changes issues of any project and prints one line each, or JSON', async () => {
      const [a] = await newIssues(server.project, 'CliAError');
      const [b] = await newIssues(other, 'CliBError');
      const resolved = await run(['issues', 'resolve', a, b]);
      expect(resolved.code, resolved.stderr).to.equal(0);
      const lines = resolved.stdout.trim().split('\n');
      expect(lines).to.have.length(2);
      expect(lines[0]).to.match(new RegExp(`^Issue ${a} resolved \\(was unresolved\\): CliAError\\b`));
      expect(lines[1]).to.match(new RegExp(`^Issue ${b} resolved \\(was unresolved\\): CliBError\\b`));
      const again = await run(['issues', 'unresolve', a, '--json']);
      expect(JSON.parse(again.stdout)).to.deep.equal({ issues: [{ id: a, status: 'unresolved', previous: 'resolved', changed: true }] });
      const ignored = await run(['issues', 'ignore', b, b]);
      expect(ignored.stdout.trim()).to.match(new RegExp(`^Issue ${b} ignored \\(was resolved\\): CliBError\\b[^\\n]*$`));
      expect((await api(server, `/issues/${b}`, { token: other.secretToken })).body.status).to.equal('ignored');
    });

    it('exits non-zero with a coded one-line error, and changes nothing, when an id is unknown or malformed', async () => {
      const [a] = await newIssues(server.project, 'CliUnknownError');
      const unknown = await run(['issues', 'resolve', a, '999999999']);
      expect(unknown.code).to.equal(1);
      expect(unknown.stderr.trim()).to.equal('faultline: FAULTLINE_ERR_NOT_FOUND: Issue 999999999 not found');
      expect((await api(server, `/issues/${a}`)).body.status).to.equal('unresolved');
      const malformed = await run(['issues', 'ignore', 'abc']);
      expect(malformed.code).to.equal(1);
      expect(malformed.stderr.trim()).to.equal('faultline: FAULTLINE_ERR_REQUEST_INVALID: "abc" is not an issue id');
    });
  });
});
