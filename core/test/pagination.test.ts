import { expect } from 'chai';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { api, errorEvent, postEvents } from './helpers/http.js';

describe('issue list pagination under concurrent ingest', function () {
  this.timeout(60_000);
  let server: PostgresTestServer;
  const ISSUES = 120;

  before(async () => {
    server = await startPostgresTestServer();
    const events = Array.from({ length: ISSUES }, (_, i) => errorEvent({ type: `Error${i}` }));
    expect((await postEvents(server, { events })).status).to.equal(202);
  });
  after(async () => server?.stop());

  for (const sort of ['last_seen', 'first_seen', 'count'] as const) {
    it(`pages by ${sort} with no duplicates and no skipped issue while events arrive`, async () => {
      let stop = false;
      const touched = new Set<string>();
      // Writers keep adding events to existing issues (they move up the list) and create new issues.
      const writer = (async () => {
        for (let round = 0; !stop && round < 200; round++) {
          const type = `Error${(round * 7) % ISSUES}`;
          touched.add(type);
          const res = await postEvents(server, { events: [errorEvent({ type }), errorEvent({ type: `${sort}-New${round}` })] });
          expect(res.status).to.equal(202);
        }
      })();

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const qs: string = `sort=${sort}&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await api(server, `/projects/${server.project.id}/issues?${qs}`);
        expect(res.status).to.equal(200);
        seen.push(...res.body.data.map((i: any) => i.id));
        cursor = res.body.nextCursor;
        pages++;
        await new Promise((r) => setTimeout(r, 5)); // let the writers interleave
      } while (cursor && pages < 500);
      stop = true;
      await writer;

      expect(touched.size).to.be.greaterThan(0);
      expect(new Set(seen).size, 'no duplicates').to.equal(seen.length);
      // Issues that existed before paging and got no event meanwhile are each seen; touched ones may move
      // above the cursor (that is what sorting by activity means), but never appear twice.
      const all: any[] = [];
      let c: string | null = null;
      do {
        const r = await api(server, `/projects/${server.project.id}/issues?sort=first_seen&limit=100${c ? `&cursor=${encodeURIComponent(c)}` : ''}`);
        all.push(...r.body.data);
        c = r.body.nextCursor;
      } while (c);
      const untouched = all.filter((i) => /^Error\d+$/.test(i.type) && !touched.has(i.type));
      expect(untouched.length).to.be.greaterThan(0);
      for (const issue of untouched) expect(seen, `${issue.type} seen`).to.include(issue.id);
    });
  }

  it('refuses a limit out of range with the path of the parameter', async () => {
    const res = await api(server, `/projects/${server.project.id}/issues?limit=1000`);
    expect(res.status).to.equal(400);
    expect(res.body.error).to.include({ code: 'FAULTLINE_ERR_REQUEST_INVALID', path: 'limit' });
  });
});
