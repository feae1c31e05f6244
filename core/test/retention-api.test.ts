import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startPostgresTestServer as startTestServer, type PostgresTestServer as TestServer } from '@faultline/plugin-storage-postgres/testing';
import { definePlugin, FileArchive } from '../src/index.js';
import { api, errorEvent, postEvents, randomEventId } from './helpers/http.js';

const DAY = 86_400_000;

describe('retention API: policies per project, and archived events answer 410', function () {
  this.timeout(60_000);
  let server: TestServer;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-retention-api-'));
    server = await startTestServer({
      retentionSchedule: false,
      plugins: [definePlugin({
        name: 'test-file-archive',
        core: '^0.1.0',
        setup(ctx) {
          ctx.provide('archive', new FileArchive({ dir, storage: () => ctx.need('storage') }));
        },
      })],
    });
  });
  after(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const path = () => `/projects/${server.project.id}/retention`;

  it('answers the defaults, applies a partial change, and keeps what was not named', async () => {
    const got = await api(server, path(), { token: server.adminToken });
    expect(got.status).to.equal(200);
    expect(got.body).to.deep.equal({ hotDays: 30, archive: true, deleteAfterDays: 90, maxEvents: null });
    const put = await api(server, path(), { token: server.adminToken, method: 'PUT', body: { hotDays: 14, maxEvents: 500000 } });
    expect(put.status).to.equal(200);
    expect(put.body).to.deep.equal({ hotDays: 14, archive: true, deleteAfterDays: 90, maxEvents: 500000 });
    expect((await api(server, path(), { token: server.adminToken })).body).to.deep.equal(put.body);
  });

  it('answers 400 naming the field, and 403 to a member', async () => {
    const bad = await api(server, path(), { token: server.adminToken, method: 'PUT', body: { hotDays: 0 } });
    expect(bad.status).to.equal(400);
    expect(bad.body.error).to.include({ code: 'FAULTLINE_ERR_REQUEST_INVALID', path: 'hotDays' });
    const order = await api(server, path(), { token: server.adminToken, method: 'PUT', body: { hotDays: 10, deleteAfterDays: 5 } });
    expect(order.status).to.equal(400);
    expect(order.body.error).to.include({ path: 'deleteAfterDays' });
    const unknown = await api(server, path(), { token: server.adminToken, method: 'PUT', body: { keepForever: true } });
    expect(unknown.body.error).to.include({ path: 'keepForever' });
    expect((await api(server, path())).status).to.equal(403);
    expect((await api(server, path(), { method: 'PUT', body: { hotDays: 3 } })).status).to.equal(403);
  });

  it('says where an archived event is instead of a bare 404; an unknown id stays 404', async () => {
    const project = await server.createProject('Archived');
    const id = randomEventId();
    const event = errorEvent({ type: 'GoneError', eventId: id });
    expect((await postEvents(server, { events: [event] }, { key: project.publicKey })).status).to.equal(202);
    expect((await api(server, `/events/${id}`, { token: project.secretToken })).status).to.equal(200);

    const report = await server.faultline.retention.run({ now: new Date(Date.now() + 40 * DAY) });
    expect(report.failures).to.deep.equal([]);
    const gone = await api(server, `/events/${id}`, { token: project.secretToken });
    expect(gone.status).to.equal(410);
    expect(gone.body.error.code).to.equal('FAULTLINE_ERR_EVENT_ARCHIVED');
    expect(gone.body.error.message).to.contain(dir).and.contain(`faultline archive restore --project ${project.id}`);
    const metrics = await server.faultline.metrics.registry.getSingleMetricAsString('faultline_retention_events_total');
    expect(metrics).to.contain('faultline_retention_events_total{action="archived"} 1');
    // Another project's token learns nothing about it.
    expect((await api(server, `/events/${id}`)).status).to.equal(404);
    expect((await api(server, `/events/${randomEventId()}`, { token: project.secretToken })).status).to.equal(404);
  });
});
