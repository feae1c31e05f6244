import { expect } from 'chai';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { searchOpenSearch, type EventDocument } from '../src/index.js';
import { FakeOpenSearch } from './fake-api.js';

async function post(server: PostgresTestServer, events: object[]) {
  const res = await fetch(`${server.url}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.project.publicKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  expect(res.status).to.equal(202);
}

async function get(server: PostgresTestServer, path: string) {
  const res = await fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  return { status: res.status, body: (await res.json()) as any };
}

const event = (type: string, tags: Record<string, string>) => ({ level: 'error', tags, exception: { values: [{ type, value: `${type} happened` }] } });

describe('OpenSearch search plugin, against a recording cluster', function () {
  this.timeout(60_000);
  let server: PostgresTestServer;
  let fake: FakeOpenSearch;
  beforeEach(async () => {
    fake = new FakeOpenSearch();
    server = await startPostgresTestServer({ plugins: [searchOpenSearch({ api: fake, indexPrefix: 'fl' })] });
  });
  afterEach(() => server.stop());

  it('puts its index template at start and indexes stored events in bulk, from event:stored through jobs', async () => {
    expect(fake.templates.map((t) => t.name)).to.deep.equal(['fl']);
    await post(server, [event('CartError', { browser: 'Chrome' }), event('CartError', { browser: 'Firefox' })]);
    await fake.nextBulk();
    const docs = fake.bulks.flat();
    expect(docs).to.have.length(2);
    expect(docs[0].index).to.match(/^fl-\d{4}\.\d{2}\.\d{2}$/);
    const tags = docs.map((d) => (d.doc as EventDocument).tags[0].value).sort();
    expect(tags).to.deep.equal(['Chrome', 'Firefox']);
    expect((docs[0].doc as EventDocument).project_id).to.equal(server.project.id);
  });

  it('indexes a batch once when several nodes hear its event:stored (one job id per batch)', async () => {
    await post(server, [event('CartError', { browser: 'Chrome' })]);
    await fake.nextBulk();
    const [stored] = fake.bulks.flat();
    const doc = stored.doc as EventDocument;
    fake.bulks = [];
    const message = { events: [{ projectId: doc.project_id, eventId: doc.event_id, issueId: doc.issue_id, receivedAt: doc.received_at, level: 'error' as const, environment: null, release: null }] };
    await Promise.all([server.faultline.pubsub.publish('event:stored', message), server.faultline.pubsub.publish('event:stored', message)]);
    await fake.nextBulk();
    await post(server, [event('OtherError', {})]);
    await new Promise<void>((resolve) => {
      const poll = () => (fake.bulks.length >= 2 ? resolve() : setTimeout(poll, 20));
      poll();
    });
    expect(fake.bulks.map((b) => b.map((d) => (d.doc as EventDocument).error_type))).to.deep.equal([['CartError'], ['OtherError']]);
  });

  it('answers event terms from the index and issue terms from the storage', async () => {
    await post(server, [event('CartError', { browser: 'Chrome' }), event('OtherError', { browser: 'Chrome' })]);
    await fake.nextBulk();
    const issues = (await get(server, `/projects/${server.project.id}/issues?query=`)).body.data as { id: string; type: string }[];
    const cart = issues.find((i) => i.type === 'CartError')!;
    fake.answer = () => ({ aggregations: { issues: { buckets: issues.map((i) => ({ key: i.id, doc_count: 1 })) } } });
    const both = await get(server, `/projects/${server.project.id}/issues?query=${encodeURIComponent('browser:Chrome error.type:CartError')}`);
    expect(both.body.data.map((i: { id: string }) => i.id)).to.deep.equal([cart.id]);
    const asked = fake.searches.at(-1)!.body as any;
    expect(asked.query.bool.filter[0]).to.deep.equal({ term: { project_id: server.project.id } });
    expect(asked.aggs.issues.terms.field).to.equal('issue_id');

    fake.answer = () => ({ aggregations: { issues: { buckets: [{ key: cart.id, doc_count: 1 }] } } });
    const negated = await get(server, `/projects/${server.project.id}/issues?query=${encodeURIComponent('!browser:Chrome')}`);
    expect(negated.body.data.map((i: { type: string }) => i.type)).to.deep.equal(['OtherError']);
  });

  it('reads tag summaries and stats from aggregations', async () => {
    await post(server, [event('CartError', { browser: 'Chrome' })]);
    await fake.nextBulk();
    const [issue] = (await get(server, `/projects/${server.project.id}/issues?query=`)).body.data;
    fake.answer = (body) =>
      'aggs' in body && (body.aggs as object) && 'tags' in (body.aggs as object)
        ? {
            aggregations: {
              tags: { keys: { buckets: [{ key: 'browser', doc_count: 3, values: { buckets: [{ key: 'Chrome', doc_count: 2 }, { key: 'Firefox', doc_count: 1 }] } }] } },
              level: { buckets: [{ key: 'error', doc_count: 3 }] },
              release: { buckets: [] },
              environment: { buckets: [] },
            },
          }
        : { aggregations: { series: { buckets: [{ key: Date.parse('2026-03-01T00:00:00Z'), doc_count: 4 }] } } };
    const tags = await get(server, `/issues/${issue.id}/tags`);
    expect(tags.body).to.deep.equal({
      data: [
        { key: 'browser', values: [{ value: 'Chrome', count: 2 }, { value: 'Firefox', count: 1 }] },
        { key: 'level', values: [{ value: 'error', count: 3 }] },
      ],
    });
    const stats = await get(server, `/projects/${server.project.id}/stats?since=2026-03-01T00:00:00Z&until=2026-03-02T00:00:00Z&interval=day`);
    expect(stats.body).to.deep.equal({ series: [{ t: '2026-03-01T00:00:00.000Z', count: 4 }] });
    const histogram = (fake.searches.at(-1)!.body as any).aggs.series.date_histogram;
    expect(histogram).to.include({ calendar_interval: '1d', min_doc_count: 0 });
  });

  it('retries what the cluster refuses for now, and leaves out what it refuses for good', async () => {
    const search = server.faultline.search as import('../src/index.js').OpenSearchSearch;
    const record = { projectId: 1, eventId: 'a'.repeat(32), issueId: '1', receivedAt: new Date().toISOString(), timestamp: null, level: 'error' as const, release: null, environment: null, payload: new TextEncoder().encode(JSON.stringify({ event_id: 'a'.repeat(32), timestamp: new Date().toISOString(), level: 'error', platform: 'node', tags: {} })) };
    fake.failures.push([{ position: 0, status: 429, reason: 'es_rejected_execution_exception' }]);
    let caught: any;
    await search.indexer.indexRecords([record]).catch((err) => (caught = err));
    expect(caught).to.include({ code: 'FAULTLINE_ERR_UNAVAILABLE' });
    fake.failures.push([{ position: 0, status: 400, reason: 'mapper_parsing_exception' }]);
    expect(await search.indexer.indexRecords([record])).to.equal(0);
    expect(await search.indexer.indexRecords([record])).to.equal(1);
  });

  it('drops whole daily indices past the retention', async () => {
    const search = server.faultline.search as import('../src/index.js').OpenSearchSearch;
    fake.indices = ['fl-2020.01.01', 'fl-2999.01.01', 'fl-kept'];
    expect(await search.dropExpiredIndices(new Date())).to.deep.equal(['fl-2020.01.01']);
    expect(fake.deleted).to.deep.equal(['fl-2020.01.01']);
  });

  it('rebuilds the index from PostgreSQL, with progress', async () => {
    await post(server, [event('CartError', { browser: 'Chrome' }), event('CartError', { browser: 'Chrome' }), event('X', {})]);
    await fake.nextBulk();
    fake.bulks = [];
    const search = server.faultline.search as import('../src/index.js').OpenSearchSearch;
    const progress: [number, number][] = [];
    const result = await search.reindex({ projectId: server.project.id, onProgress: (done, total) => progress.push([done, total]) });
    expect(result.indexed).to.equal(3);
    expect(fake.bulks.flat()).to.have.length(3);
    expect(progress.at(-1)).to.deep.equal([3, 3]);
    expect((await search.reindex({ projectId: server.project.id, since: new Date(Date.now() + 86_400_000) })).indexed).to.equal(0);
  });
});
