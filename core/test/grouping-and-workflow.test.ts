import { expect } from 'chai';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import type { Issue } from '../src/index.js';
import { api, errorEvent, postEvents, randomEventId } from './helpers/http.js';

describe('grouping and the issue workflow, end to end', function () {
  this.timeout(30_000);
  let shared: PostgresTestServer;
  let server: PostgresTestServer;
  let created: Issue[] = [];
  let regressed: Issue[] = [];

  // One server; each test gets a project of its own, which also shows projects do not mix.
  before(async () => {
    shared = await startPostgresTestServer();
    shared.faultline.hooks.tap('issue:created', ({ issue }) => void created.push(issue));
    shared.faultline.hooks.tap('issue:regressed', ({ issue }) => void regressed.push(issue));
  });
  after(async () => shared?.stop());

  beforeEach(async function () {
    server = { ...shared, project: await shared.createProject(this.currentTest!.title.slice(0, 50)) };
    created = [];
    regressed = [];
  });

  /** Without a query the list shows unresolved issues; with one, any status unless it says `is:`. */
  async function issues(query?: string): Promise<Issue[]> {
    const qs = query === undefined ? '' : `?query=${encodeURIComponent(query)}`;
    const res = await api(server, `/projects/${server.project.id}/issues${qs}`);
    expect(res.status).to.equal(200);
    return res.body.data;
  }

  async function waitFor(condition: () => boolean) {
    for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  }

  it('groups the same error thrown at different lines into one issue', async () => {
    for (const line of [17, 18, 250]) expect((await postEvents(server, errorEvent({ line }))).status).to.equal(202);
    const list = await issues();
    expect(list).to.have.length(1);
    expect(list[0]).to.include({ count: 3, type: 'TypeError', level: 'error', status: 'unresolved', userCount: 1, release: 'shop@1.0.0' });
    expect(list[0].title).to.equal("TypeError: Cannot read properties of undefined (reading 'total')");
    expect(list[0].culprit).to.equal('cartTotal (/app/src/cart.js)');
  });

  it('groups two deployments with different bundle hashes into one issue', async () => {
    await postEvents(server, errorEvent({ file: 'https://shop.example/assets/app.4f3c2a1b.js', fn: 'applyCoupon', line: 1 }));
    await postEvents(server, errorEvent({ file: 'https://shop.example/assets/app.9e8d7c6b.js', fn: 'applyCoupon', line: 1 }));
    expect(await issues()).to.have.length(1);
  });

  it('keeps different error types apart, and honours custom fingerprints', async () => {
    await postEvents(server, { events: [errorEvent({ type: 'TypeError' }), errorEvent({ type: 'RangeError' })] });
    expect(await issues()).to.have.length(2);
    const a = { ...errorEvent({ type: 'TimeoutError' }), fingerprint: ['payment-provider-down'] };
    const b = { ...errorEvent({ type: 'ConnectionError', file: '/app/src/pay.js' }), fingerprint: ['payment-provider-down'] };
    await postEvents(server, { events: [a, b] });
    const list = await issues();
    expect(list).to.have.length(3);
    expect(list.find((i) => i.count === 2)?.type).to.be.oneOf(['TimeoutError', 'ConnectionError']);
  });

  it('fires issue:created once per new issue', async () => {
    await postEvents(server, { events: [errorEvent(), errorEvent(), errorEvent({ type: 'RangeError' })] });
    await postEvents(server, errorEvent());
    await waitFor(() => created.length >= 2);
    expect(created.map((i) => i.type).sort()).to.deep.equal(['RangeError', 'TypeError']);
  });

  it('reopens a resolved issue on a new event and fires issue:regressed; ignored stays ignored', async () => {
    await postEvents(server, errorEvent());
    const [issue] = await issues();
    const resolved = await api(server, `/issues/${issue.id}`, { method: 'PATCH', body: { status: 'resolved' } });
    expect(resolved.status).to.equal(200);
    expect(resolved.body.status).to.equal('resolved');
    expect(await issues()).to.have.length(0); // the default list is unresolved issues

    await postEvents(server, errorEvent());
    await waitFor(() => regressed.length > 0);
    expect(regressed.map((i) => i.id)).to.deep.equal([issue.id]);
    const [again] = await issues();
    expect(again).to.include({ id: issue.id, status: 'unresolved', count: 2 });

    await api(server, `/issues/${issue.id}`, { method: 'PATCH', body: { status: 'ignored' } });
    await postEvents(server, errorEvent());
    const ignored = (await api(server, `/issues/${issue.id}`)).body;
    expect(ignored).to.include({ status: 'ignored', count: 3 });
    expect(regressed).to.have.length(1);
  });

  it('stores and counts a re-sent event once, in the same batch, later, and after hours', async () => {
    const id = randomEventId();
    await postEvents(server, { events: [errorEvent({ eventId: id }), errorEvent({ eventId: id })] });
    await postEvents(server, errorEvent({ eventId: id }));
    await postEvents(server, errorEvent({ eventId: id.toUpperCase() }));
    const [issue] = await issues();
    expect(issue.count).to.equal(1);
    const events = await api(server, `/issues/${issue.id}/events`);
    expect(events.body.data.map((e: any) => e.id)).to.deep.equal([id]);
    const one = await api(server, `/events/${id}`);
    expect(one.status).to.equal(200);
    expect(one.body).to.include({ id, issueId: issue.id, projectId: server.project.id });
    expect(one.body.event.exception.values[0].type).to.equal('TypeError');
  });

  it('answers an issue, its events and stats in the documented shapes', async () => {
    await postEvents(server, { events: [errorEvent(), errorEvent({ line: 3 })] });
    const [issue] = await issues();
    for (const key of ['id', 'projectId', 'title', 'culprit', 'type', 'value', 'level', 'status', 'count', 'userCount', 'firstSeen', 'lastSeen', 'release']) {
      expect(issue).to.have.property(key);
    }
    const detail = await api(server, `/issues/${issue.id}`);
    expect(detail.body).to.deep.equal(issue);
    const page = await api(server, `/issues/${issue.id}/events?limit=1`);
    expect(page.body.data).to.have.length(1);
    expect(page.body.nextCursor).to.be.a('string');
    const next = await api(server, `/issues/${issue.id}/events?limit=1&cursor=${encodeURIComponent(page.body.nextCursor)}`);
    expect(next.body.data).to.have.length(1);
    expect(next.body.data[0].id).to.not.equal(page.body.data[0].id);
    const stats = await api(server, `/projects/${server.project.id}/stats?interval=hour`);
    expect(stats.status).to.equal(200);
    expect(stats.body.series.reduce((sum: number, p: any) => sum + p.count, 0)).to.equal(2);
    const issueStats = await api(server, `/projects/${server.project.id}/stats?interval=day&issue=${issue.id}`);
    expect(issueStats.body.series.at(-1).count).to.equal(2);
  });

  it('searches by level, release, status and text, and refuses unknown keys', async () => {
    await postEvents(server, { events: [errorEvent(), { ...errorEvent({ type: 'QuotaError', value: 'disk quota exceeded' }), level: 'fatal', release: 'shop@2.0.0' }] });
    expect((await issues('level:fatal')).map((i) => i.type)).to.deep.equal(['QuotaError']);
    expect((await issues('release:shop@1.0.0')).map((i) => i.type)).to.deep.equal(['TypeError']);
    expect((await issues('quota')).map((i) => i.type)).to.deep.equal(['QuotaError']);
    expect(await issues('is:resolved')).to.have.length(0);
    const bad = await api(server, `/projects/${server.project.id}/issues?query=${encodeURIComponent('color:red')}`);
    expect(bad.status).to.equal(400);
    expect(bad.body.error).to.include({ code: 'FAULTLINE_ERR_QUERY_INVALID', path: 'query' });
    const badCursor = await api(server, `/projects/${server.project.id}/issues?cursor=garbage`);
    expect(badCursor.status).to.equal(400);
    expect(badCursor.body.error.code).to.equal('FAULTLINE_ERR_QUERY_CURSOR');
    const [anyIssue] = await issues();
    const badPatch = await api(server, `/issues/${anyIssue.id}`, { method: 'PATCH', body: { status: 'done' } });
    expect(badPatch.status).to.equal(400);
    expect(badPatch.body.error.path).to.equal('status');
  });
});
