import { expect } from 'chai';
import { pino } from 'pino';
import { storagePostgres } from '@faultline/plugin-storage-postgres';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { createFaultline, definePlugin, jobType, type Faultline, type IssueSearchQuery, type SearchProvider } from '../src/index.js';
import { api, errorEvent, postEvents } from './helpers/http.js';

const silent = pino({ level: 'silent' });

describe('provider seams a plugin can fill', function () {
  this.timeout(60_000);
  const servers: PostgresTestServer[] = [];
  const extra: Faultline[] = [];
  afterEach(async () => {
    await Promise.all(extra.splice(0).map((f) => f.stop()));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  it('the issue list goes through `search`: a plugin replaces it and gets the parsed query', async () => {
    const asked: { projectId: number; query: IssueSearchQuery }[] = [];
    const search: SearchProvider = {
      name: 'test-search',
      async searchIssues(projectId, query) {
        asked.push({ projectId, query });
        return { data: [], nextCursor: 'next-page' };
      },
      async searchEvents() {
        return { data: [], nextCursor: null };
      },
      async eventStats() {
        return [];
      },
      async tagSummary() {
        return [];
      },
    };
    const server = await startPostgresTestServer({ plugins: [definePlugin({ name: 'test-search', core: '^0.1.0', setup: (ctx) => ctx.provide('search', search) })] });
    servers.push(server);
    const res = await api(server, `/projects/${server.project.id}/issues?query=${encodeURIComponent('is:resolved level:error release:"1.2" env:prod checkout failed')}&sort=freq&limit=5`);
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ data: [], nextCursor: 'next-page' });
    expect(asked).to.deep.equal([
      {
        projectId: server.project.id,
        query: {
          ast: {
            terms: [
              { type: 'match', field: 'status', values: [{ pieces: ['resolved'] }], negated: false, position: 0 },
              { type: 'match', field: 'level', values: [{ pieces: ['error'] }], negated: false, position: 12 },
              { type: 'match', field: 'release', values: [{ pieces: ['1.2'] }], negated: false, position: 24 },
              { type: 'match', field: 'environment', values: [{ pieces: ['prod'] }], negated: false, position: 38 },
              { type: 'text', value: 'checkout', phrase: false, negated: false, position: 47 },
              { type: 'text', value: 'failed', phrase: false, negated: false, position: 56 },
            ],
          },
          sort: 'count',
          cursor: undefined,
          offset: undefined,
          total: undefined,
          limit: 5,
        },
      },
    ]);
  });

  it('the default search is the storage\'s: issues and an issue\'s events, and a coded 400 for what it cannot answer', async () => {
    const server = await startPostgresTestServer();
    servers.push(server);
    expect((await postEvents(server, { events: [errorEvent({ type: 'SeamError' }), errorEvent({ type: 'SeamError' })] })).status).to.equal(202);
    const list = await api(server, `/projects/${server.project.id}/issues?query=SeamError`);
    expect(list.body.data).to.have.length(1);
    const events = await api(server, `/issues/${list.body.data[0].id}/events`);
    expect(events.body.data).to.have.length(2);
    expect(server.faultline.search.name).to.equal('storage');
    let caught: any;
    await server.faultline.search.searchEvents(server.project.id, { filters: { level: 'error' }, limit: 10 }).catch((err) => (caught = err));
    expect(caught).to.include({ code: 'FAULTLINE_ERR_QUERY_INVALID', path: 'level' });
  });

  it('two Faultlines on one database fire a schedule once per slot', async () => {
    const server = await startPostgresTestServer();
    servers.push(server);
    const second = await createFaultline({ logger: silent, defaultMetrics: false, migrate: false, plugins: [storagePostgres({ url: server.database.url })] });
    extra.push(second);
    const type = jobType<{ report: string }>('test:digest');
    const fired: string[] = [];
    for (const f of [server.faultline, second]) {
      f.jobs.define(type, async (_payload, ctx) => {
        fired.push(ctx.id);
      });
      f.jobs.schedule('test-digest', { cron: '* * * * * *', timezone: 'America/New_York' }, type, { report: 'x' });
    }
    const until = Date.now() + 8000;
    while (new Set(fired).size < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    await Promise.all([server.faultline.jobs.stop(), second.jobs.stop()]);
    expect(new Set(fired).size).to.be.at.least(3);
    expect(fired).to.deep.equal([...new Set(fired)]);
  });

  it('plugins register alert channels through the context; configs are checked naming the path', async () => {
    const channel = {
      type: 'pager',
      label: 'Pager',
      configSchema: {
        type: 'object' as const,
        required: ['number'],
        properties: { number: { type: 'string', pattern: '^[0-9]+$' }, escalate: { type: 'string', format: 'email' } },
      },
      send: async () => ({}),
      test: async () => ({}),
    };
    const server = await startPostgresTestServer({ plugins: [definePlugin({ name: 'test-pager', core: '^0.1.0', setup: (ctx) => ctx.alertChannel(channel) })] });
    servers.push(server);
    const channels = server.faultline.alertChannels;
    expect(channels.types()).to.deep.equal(['pager']);
    expect(channels.validateConfig('pager', { number: '123' })).to.deep.equal({ number: '123' });
    expect(() => channels.validateConfig('pager', { number: 'abc' })).to.throw().with.property('path', 'config.number');
    expect(() => channels.validateConfig('pager', {})).to.throw().with.property('path', 'config.number');
    expect(() => channels.validateConfig('pager', { number: '1', escalate: 'not an address' })).to.throw().with.property('path', 'config.escalate');
    expect(() => channels.get('email')).to.throw().with.property('code', 'FAULTLINE_ERR_ALERT_CHANNEL_UNKNOWN');

    const twice = createFaultline({
      logger: silent,
      defaultMetrics: false,
      start: false,
      plugins: [
        storagePostgres({ url: server.database.url }),
        definePlugin({ name: 'pager-a', core: '^0.1.0', setup: (ctx) => ctx.alertChannel(channel) }),
        definePlugin({ name: 'pager-b', core: '^0.1.0', setup: (ctx) => ctx.alertChannel(channel) }),
      ],
    });
    const err = await twice.then(() => null, (e: unknown) => e);
    expect(err).to.include({ code: 'FAULTLINE_ERR_PROVIDER_DUPLICATE' });
    expect((err as Error).message).to.contain('pager-a').and.contain('pager-b');
  });

  it('has no default archive: asking for one is a coded error that says what to add', async () => {
    let message = '';
    const server = await startPostgresTestServer({
      plugins: [definePlugin({
        name: 'wants-archive',
        core: '^0.1.0',
        setup(ctx) {
          try {
            ctx.need('archive');
          } catch (err) {
            message = `${(err as { code: string }).code}: ${(err as Error).message}`;
          }
        },
      })],
    });
    servers.push(server);
    expect(message).to.match(/^FAULTLINE_ERR_PROVIDER_MISSING: .*archive plugin/);
  });
});
