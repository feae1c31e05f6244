import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { api, errorEvent, postEvents, type Answer } from './helpers/http.js';

/** Every hostile input gets a coded 4xx, and the server still takes a good event afterwards. */
describe('native ingest: hostile input', function () {
  this.timeout(60_000);
  let server: PostgresTestServer;

  before(async () => {
    server = await startPostgresTestServer();
  });
  after(async () => server?.stop());

  afterEach(async () => {
    const ok = await postEvents(server, errorEvent());
    expect(ok.status, 'server still ingests').to.equal(202);
  });

  function expectError(res: Answer, status: number, code: string, path?: string) {
    expect(res.status, JSON.stringify(res.body)).to.equal(status);
    expect(res.body.error.code).to.equal(code);
    expect(res.body.error.message).to.be.a('string').and.not.empty;
    if (path !== undefined) expect(res.body.error.path).to.equal(path);
  }

  it('invalid JSON', async () => {
    expectError(await postEvents(server, '{"exception": {', { raw: true }), 400, 'FAULTLINE_ERR_INGEST_JSON');
  });

  it('empty body', async () => {
    expectError(await postEvents(server, '', { raw: true }), 400, 'FAULTLINE_ERR_INGEST_BODY_EMPTY');
    expectError(await postEvents(server, { events: [] }), 400, 'FAULTLINE_ERR_INGEST_BODY_EMPTY', 'events');
  });

  it('wrong content type', async () => {
    const res = await postEvents(server, JSON.stringify(errorEvent()), { raw: true, headers: { 'content-type': 'application/xml' } });
    expectError(res, 415, 'FAULTLINE_ERR_INGEST_CONTENT_TYPE');
  });

  it('wrong types, with the path of the bad field', async () => {
    const event: any = errorEvent();
    event.exception.values[0].stacktrace.frames[2].lineno = 'seventeen';
    expectError(await postEvents(server, event), 400, 'FAULTLINE_ERR_INGEST_SCHEMA', 'exception.values[0].stacktrace.frames[2].lineno');
    expectError(await postEvents(server, [1, 2]), 400, 'FAULTLINE_ERR_INGEST_SCHEMA');
    expectError(await postEvents(server, 'just a string'), 400, 'FAULTLINE_ERR_INGEST_SCHEMA');
  });

  it('a 1 MB string', async () => {
    expectError(await postEvents(server, { message: 'x'.repeat(1_000_000) }), 400, 'FAULTLINE_ERR_INGEST_SCHEMA', 'message');
    const res = await postEvents(server, { message: 'short', extra: { blob: 'y'.repeat(1_100_000) } });
    expectError(res, 413, 'FAULTLINE_ERR_INGEST_EVENT_TOO_LARGE');
  });

  it('10,000 frames', async () => {
    const event: any = errorEvent();
    event.exception.values[0].stacktrace.frames = Array.from({ length: 10_000 }, (_, i) => ({ function: `f${i}`, filename: 'a.js', lineno: i }));
    expectError(await postEvents(server, event), 400, 'FAULTLINE_ERR_INGEST_SCHEMA', 'exception.values[0].stacktrace.frames');
  });

  it('nesting 1,000 deep', async () => {
    const body = `{"message":"deep","extra":${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}}`;
    const res = await postEvents(server, body, { raw: true });
    expectError(res, 400, 'FAULTLINE_ERR_INGEST_TOO_DEEP');
    expect(res.body.error.path).to.match(/^extra(\.a)+$/);
    const arrays = `{"message":"deep","extra":{"list":${'['.repeat(1000)}${']'.repeat(1000)}}}`;
    expectError(await postEvents(server, arrays, { raw: true }), 400, 'FAULTLINE_ERR_INGEST_TOO_DEEP');
  });

  it('a gzip bomb stops at the size limit', async () => {
    // 1 GiB of zeros inside a small request: must stop at maxBodyBytes (20 MiB) without inflating it all.
    const chunk = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 16 }, () => chunk));
    const res = await postEvents(server, bomb, { raw: true, headers: { 'content-encoding': 'gzip' } });
    expectError(res, 413, 'FAULTLINE_ERR_INGEST_BODY_TOO_LARGE');
  });

  it('corrupt gzip and unknown encodings', async () => {
    const res = await postEvents(server, Buffer.from('not gzip at all'), { raw: true, headers: { 'content-encoding': 'gzip' } });
    expect(res.status).to.be.oneOf([400, 415]);
    expect(res.body.error.code).to.equal('FAULTLINE_ERR_INGEST_ENCODING');
    const odd = await postEvents(server, JSON.stringify(errorEvent()), { raw: true, headers: { 'content-encoding': 'zstd-ish' } });
    expectError(odd, 415, 'FAULTLINE_ERR_INGEST_ENCODING');
  });

  it('gzip-compressed events are accepted', async () => {
    const res = await postEvents(server, gzipSync(JSON.stringify({ events: [errorEvent(), errorEvent()] })), {
      raw: true,
      headers: { 'content-encoding': 'gzip' },
    });
    expect(res.status).to.equal(202);
    expect(res.body.accepted).to.equal(2);
  });

  it('a batch of 10,000 events is refused as a whole', async () => {
    const events = Array.from({ length: 10_000 }, () => ({ message: 'm' }));
    expectError(await postEvents(server, { events }), 413, 'FAULTLINE_ERR_INGEST_BATCH_TOO_LARGE', 'events');
  });

  it('a batch reports bad members by index and stores the good ones', async () => {
    const res = await postEvents(server, { events: [errorEvent(), { level: 'shouting' }, errorEvent()] });
    expect(res.status).to.equal(202);
    expect(res.body.accepted).to.equal(2);
    expect(res.body.ids).to.have.length(2);
    expect(res.body.rejected).to.deep.equal([
      {
        index: 1,
        error: { code: 'FAULTLINE_ERR_INGEST_SCHEMA', message: 'events[1].level must be equal to one of the allowed values', path: 'events[1].level' },
      },
    ]);
  });

  it('a batch with nothing valid is a 400', async () => {
    const res = await postEvents(server, { events: [{ level: 1 }, { tags: 'x' }] });
    expectError(res, 400, 'FAULTLINE_ERR_INGEST_NOTHING_VALID', 'events[0].level');
  });

  it('NUL characters and lone surrogates are stored, not a 500, on both routes', async () => {
    const hostile = {
      message: 'nul \u0000 here',
      release: 'r\u0000',
      exception: { values: [{ type: 'Bad\u0000Type', value: 'lone \ud800 surrogate' }] },
      tags: { 't\u0000': 'v\u0000' },
      extra: { 'k\u0000': 'v\u0000\udfff' },
    };
    const native = await postEvents(server, hostile);
    expect(native.status, JSON.stringify(native.body)).to.equal(202);
    const sentry = await fetch(`${server.url}/api/${server.project.id}/store/?sentry_key=${server.project.publicKey}`, {
      method: 'POST',
      body: JSON.stringify(hostile),
    });
    expect(sentry.status, await sentry.clone().text()).to.equal(200);
    const sentryId = ((await sentry.json()) as { id: string }).id;

    for (const id of [native.body.ids[0], sentryId]) {
      const stored = await api(server, `/events/${id}`);
      expect(stored.status).to.equal(200);
      // The payload keeps what was sent; only the column copies lose the NUL.
      expect(stored.body.event.message).to.equal('nul \u0000 here');
      expect(stored.body.event.tags).to.deep.equal({ 't\u0000': 'v\u0000' });
      const issue = await api(server, `/issues/${stored.body.issueId}`);
      expect(issue.body).to.include({ release: 'r', type: 'BadType' });
    }
  });

  it('a missing, malformed or unknown key is a 401 before the body is read', async () => {
    expectError(await postEvents(server, errorEvent(), { key: null }), 401, 'FAULTLINE_ERR_AUTH_MISSING');
    expectError(await postEvents(server, errorEvent(), { key: 'bad key!' }), 401, 'FAULTLINE_ERR_AUTH_INVALID');
    expectError(await postEvents(server, errorEvent(), { key: 'f'.repeat(32) }), 401, 'FAULTLINE_ERR_AUTH_INVALID');
  });
});
