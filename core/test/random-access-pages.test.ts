import { expect } from 'chai';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { api, errorEvent, postEvents } from './helpers/http.js';

/** The issue list by offset (with its total), and an issue's events both ways, over HTTP. */
describe('issue list by offset and events both ways over HTTP', function () {
  this.timeout(60_000);
  let server: PostgresTestServer;
  before(async () => {
    server = await startPostgresTestServer();
    const events = Array.from({ length: 12 }, (_, i) => ({ ...errorEvent({ type: i < 8 ? `CartError${i}` : `OtherError${i}` }), tags: { shard: i < 8 ? 'a' : 'b' } }));
    expect((await postEvents(server, { events })).status).to.equal(202);
  });
  after(() => server.stop());

  const list = (qs: string) => api(server, `/projects/${server.project.id}/issues?${qs}`);

  it('answers a page by offset, and the total when asked, for plain lists and for the search language', async () => {
    const all = (await list('sort=first_seen&limit=100')).body.data.map((i: { id: string }) => i.id);
    expect(all).to.have.length(12);
    const page = await list('sort=first_seen&limit=3&offset=6&total=true');
    expect(page.status).to.equal(200);
    expect(page.body.data.map((i: { id: string }) => i.id)).to.deep.equal(all.slice(6, 9));
    expect(page.body).to.include({ total: 12, totalCapped: false });
    const next = await list(`sort=first_seen&limit=3&cursor=${encodeURIComponent(page.body.nextCursor)}`);
    expect(next.body.data.map((i: { id: string }) => i.id)).to.deep.equal(all.slice(9, 12));
    expect(next.body).to.not.have.property('total');
    expect((await list('sort=first_seen&limit=3&offset=6')).body).to.not.have.property('total');
    // A tag condition reaches into the issues' events: the offset and the count apply to what it matches.
    const tagged = await list(`query=${encodeURIComponent('shard:a')}&sort=first_seen&limit=5&offset=5&total=true`);
    expect(tagged.status).to.equal(200);
    expect(tagged.body.total).to.equal(8);
    expect(tagged.body.data).to.have.length(3);
    const taggedIds = (await list(`query=${encodeURIComponent('shard:a')}&sort=first_seen&limit=100`)).body.data.map((i: { id: string }) => i.id);
    expect(tagged.body.data.map((i: { id: string }) => i.id)).to.deep.equal(taggedIds.slice(5));
  });

  it('refuses an offset out of range, or an offset or a count with a cursor, naming the parameter', async () => {
    for (const qs of ['offset=-1', 'offset=100001', 'offset=x', 'offset=1&cursor=abc', 'total=yes', 'total=true&cursor=abc']) {
      const res = await list(qs);
      expect(res.status, qs).to.equal(400);
      expect(res.body.error.path, qs).to.equal(qs.startsWith('total') ? 'total' : 'offset');
    }
  });

  it('pages an issue’s events newest and oldest first, both ways', async () => {
    const [issue] = (await list('limit=1')).body.data;
    for (let i = 0; i < 3; i++) {
      expect((await postEvents(server, { events: [{ ...errorEvent({ type: issue.type }), message: `again ${i}` }] })).status).to.equal(202);
    }
    const events = (qs: string) => api(server, `/issues/${issue.id}/events?${qs}`);
    const newest = await events('limit=1');
    expect(newest.status).to.equal(200);
    expect(newest.body.prevCursor).to.equal(null);
    const oldest = await events('limit=1&order=asc');
    expect(oldest.body.data[0].id).to.not.equal(newest.body.data[0].id);
    const newer = await events(`limit=1&order=asc&cursor=${encodeURIComponent(oldest.body.nextCursor)}`);
    const back = await events(`limit=1&order=asc&cursor=${encodeURIComponent(newer.body.prevCursor)}`);
    expect(back.body.data[0].id).to.equal(oldest.body.data[0].id);
    expect(back.body.prevCursor).to.equal(null);
    const wrong = await events(`limit=1&cursor=${encodeURIComponent(oldest.body.nextCursor)}`);
    expect(wrong.status).to.equal(400);
    expect(wrong.body.error.code).to.equal('FAULTLINE_ERR_QUERY_CURSOR');
    const sideways = await events('order=sideways');
    expect(sideways.status).to.equal(400);
    expect(sideways.body.error.path).to.equal('order');
  });
});
