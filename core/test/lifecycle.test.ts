import { expect } from 'chai';
import { pino } from 'pino';
import { createTestDatabase, startPostgresTestServer, type TestDatabase } from '@faultline/plugin-storage-postgres/testing';
import { storagePostgres } from '@faultline/plugin-storage-postgres';
import { createFaultline, createProjectWithKey, definePlugin, FaultlineError, type FaultlinePlugin } from '../src/index.js';
import { api, errorEvent, postEvents } from './helpers/http.js';

const silent = pino({ level: 'silent' });

async function rejection(p: Promise<unknown>): Promise<FaultlineError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(FaultlineError);
    return err as FaultlineError;
  }
  throw new Error('expected a rejection');
}

describe('lifecycle, plugins and hooks', function () {
  this.timeout(30_000);
  let db: TestDatabase;

  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => db?.drop());

  it('stop() drains the queue: every accepted event is stored', async () => {
    const faultline = await createFaultline({ logger: silent, plugins: [storagePostgres({ url: db.url })], batch: { maxWaitMs: 50, maxSize: 100 } });
    const { project } = await createProjectWithKey(faultline.storage, { name: 'drain' });
    const pending = Array.from({ length: 20 }, (_, i) => faultline.ingest(project.id, [errorEvent({ type: `Drain${i % 4}` }), errorEvent()]));
    await faultline.stop();
    const results = await Promise.all(pending);
    expect(results.reduce((n, r) => n + r.accepted, 0)).to.equal(40);

    const again = await createFaultline({ logger: silent, plugins: [storagePostgres({ url: db.url })] });
    try {
      const page = await again.storage.listIssues(project.id, { sort: 'count', limit: 10 });
      expect(page.data.reduce((n, i) => n + i.count, 0)).to.equal(40);
    } finally {
      await again.stop();
    }
  });

  it('refuses events after stop() with a 503-class error', async () => {
    const faultline = await createFaultline({ logger: silent, plugins: [storagePostgres({ url: db.url })] });
    await faultline.stop();
    const err = await rejection(faultline.ingest(1, [errorEvent()]));
    expect(err.status).to.equal(503);
  });

  it('a failing notify handler is logged and counted, and never fails ingest', async () => {
    const server = await startPostgresTestServer();
    try {
      server.faultline.hooks.tap('issue:created', () => {
        throw new Error('alert channel down');
      });
      let stored = 0;
      server.faultline.hooks.tap('event:stored', ({ events }) => void (stored += events.length));
      expect((await postEvents(server, { events: [errorEvent(), errorEvent()] })).status).to.equal(202);
      for (let i = 0; i < 100 && stored < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(stored).to.equal(2);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).to.match(/faultline_hook_failures_total\{hook="issue:created",plugin="host"\} 1/);
    } finally {
      await server.stop();
    }
  });

  it('ingest hooks can rewrite, scrub and drop events', async () => {
    const scrubber = definePlugin({
      name: 'test-scrubber',
      core: '^0.1.0',
      setup(ctx) {
        ctx.hooks.tap('ingest:scrub', (event) => ({ ...event, user: undefined }));
        ctx.hooks.tap('ingest:filter', (event) => event.tags.drop !== 'yes');
        ctx.hooks.tap('ingest:fingerprint', (parts, { event }) => (event.tags.tenant ? [...parts, event.tags.tenant] : parts));
      },
    });
    const server = await startPostgresTestServer({ plugins: [scrubber] });
    try {
      const res = await postEvents(server, {
        events: [
          { ...errorEvent(), tags: { tenant: 'a' } },
          { ...errorEvent(), tags: { tenant: 'b' } },
          { ...errorEvent(), tags: { drop: 'yes' } },
        ],
      });
      expect(res.body.accepted).to.equal(3); // filtered events are accepted and not stored
      const list = await api(server, `/projects/${server.project.id}/issues`);
      expect(list.body.data).to.have.length(2);
      expect(list.body.data.every((i: any) => i.userCount === 0)).to.equal(true);
    } finally {
      await server.stop();
    }
  });

  it('checks plugins at start-up with coded errors that name them', async () => {
    const base = { name: 'p', core: '^0.1.0', setup() {} } satisfies FaultlinePlugin;
    const storage = () => storagePostgres({ url: db.url });
    const start = (plugins: FaultlinePlugin[]) => createFaultline({ logger: silent, plugins, start: false });
    expect((await rejection(start([]))).code).to.equal('FAULTLINE_ERR_PROVIDER_MISSING');
    expect((await rejection(start([storage(), { ...base, core: '^9.0.0' }]))).code).to.equal('FAULTLINE_ERR_PLUGIN_CORE_VERSION');
    const missing = await rejection(start([storage(), { ...base, requires: ['@faultline/plugin-alert-email'] }]));
    expect(missing.code).to.equal('FAULTLINE_ERR_PLUGIN_MISSING_DEPENDENCY');
    expect(missing.message).to.include('@faultline/plugin-alert-email').and.include('p');
    expect((await rejection(start([storage(), base, base]))).code).to.equal('FAULTLINE_ERR_PLUGIN_DUPLICATE');
    expect((await rejection(start([storage(), storage()]))).code).to.equal('FAULTLINE_ERR_PLUGIN_DUPLICATE');
    const badHook = await rejection(start([storage(), { ...base, setup: (ctx) => void ctx.hooks.tap('ingest:nope' as any, () => undefined) }]));
    expect(badHook.code).to.equal('FAULTLINE_ERR_HOOK_UNKNOWN');
    const failing = await rejection(start([storage(), { ...base, setup: () => { throw new Error('no SMTP URL'); } }]));
    expect(failing.code).to.equal('FAULTLINE_ERR_PLUGIN_SETUP');
    expect(failing.message).to.include('p').and.include('no SMTP URL');
    const twoProviders = definePlugin({ ...base, name: 'other-storage', setup: (ctx) => ctx.provide('storage', {} as any) });
    const dup = await rejection(start([storage(), twoProviders]));
    expect(dup.code).to.equal('FAULTLINE_ERR_PROVIDER_DUPLICATE');
    expect(dup.message).to.include('other-storage');
  });

  it('bad configuration fails at start naming the setting', async () => {
    const err = await rejection(createFaultline({ logger: silent, plugins: [storagePostgres({ url: db.url })], batch: { maxSize: 0 }, start: false }));
    expect(err.code).to.equal('FAULTLINE_ERR_CONFIG_INVALID');
    expect(err.message).to.include('batch.maxSize');
  });

  it('answers health, readiness and metrics', async () => {
    const server = await startPostgresTestServer();
    try {
      expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).to.equal(200);
      expect(await ready.json()).to.deep.equal({ status: 'ready', checks: { storage: 'ok', queue: 'ok' } });
      const metrics = await fetch(`${server.url}/metrics`);
      expect(metrics.headers.get('content-type')).to.include('text/plain');
      expect(await metrics.text()).to.include('faultline_events_accepted_total');
      const unknown = await fetch(`${server.url}/api/v1/nothing-here`);
      expect(unknown.status).to.equal(404);
      expect(((await unknown.json()) as any).error.code).to.equal('FAULTLINE_ERR_NOT_FOUND');
    } finally {
      await server.stop();
    }
  });
});
