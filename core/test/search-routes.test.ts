import { expect } from 'chai';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { api, errorEvent, postEvents } from './helpers/http.js';

describe('search over HTTP', function () {
  this.timeout(60_000);
  let server: PostgresTestServer;
  before(async () => {
    server = await startPostgresTestServer();
    const chrome = { ...errorEvent({ type: 'CartError' }), tags: { browser: 'Chrome' }, user: { email: 'ann@example.com' } };
    const firefox = { ...errorEvent({ type: 'CartError' }), tags: { browser: 'Firefox' } };
    expect((await postEvents(server, { events: [chrome, chrome, firefox, errorEvent({ type: 'OtherError' })].map((e) => ({ ...e, event_id: undefined })) })).status).to.equal(202);
  });
  after(() => server.stop());

  const issues = async (query: string) => {
    const res = await api(server, `/projects/${server.project.id}/issues?query=${encodeURIComponent(query)}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return (res.body.data as { type: string }[]).map((i) => i.type).sort();
  };

  it('answers the language: tags, user fields, negation and free text', async () => {
    expect(await issues('browser:Chrome')).to.deep.equal(['CartError']);
    expect(await issues('user.email:*@example.com')).to.deep.equal(['CartError']);
    expect(await issues('!browser:Firefox')).to.deep.equal(['OtherError']);
    expect(await issues('is:unresolved othererror')).to.deep.equal(['OtherError']);
  });

  it('answers a malformed query with 400 and the position in `path`', async () => {
    const res = await api(server, `/projects/${server.project.id}/issues?query=${encodeURIComponent('browser:[Chrome, Firefox')}`);
    expect(res.status).to.equal(400);
    expect(res.body.error).to.include({ code: 'FAULTLINE_ERR_QUERY_INVALID', path: 'query[24]' });
    expect(res.body.error.message).to.match(/Expected "\]" closing the list at position 24/);
  });

  it('summarizes an issue\'s tags at GET /api/v1/issues/:id/tags', async () => {
    const [cart] = (await api(server, `/projects/${server.project.id}/issues?query=CartError`)).body.data;
    const res = await api(server, `/issues/${cart.id}/tags?values=1`);
    expect(res.status).to.equal(200);
    const browser = res.body.data.find((t: { key: string }) => t.key === 'browser');
    expect(browser).to.deep.equal({ key: 'browser', values: [{ value: 'Chrome', count: 2 }] });
    expect((await api(server, `/issues/${cart.id}/tags?values=0`)).status).to.equal(400);
    expect((await api(server, `/issues/999999/tags`)).status).to.equal(404);
  });
});
