import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createPublicKey, definePlugin } from '@faultline/core';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';

/** A plugin whose in-process scrub handler throws for events tagged `explode`: a hook failure. */
const exploder = definePlugin({
  name: 'exploder',
  core: '*',
  setup(ctx) {
    ctx.hooks.tap('ingest:scrub', (event) => {
      if (event.tags?.explode) throw new Error('boom');
      return event;
    });
  },
});

const event = (extra: Record<string, unknown> = {}) => ({ event_id: randomUUID().replaceAll('-', ''), message: 'm', ...extra });

describe('metrics: faultline_events_rejected_total counts every refusal by code and status', function () {
  this.timeout(60_000);
  let server: PostgresTestServer;
  before(async () => {
    server = await startPostgresTestServer({ limits: { maxBodyBytes: 4096 }, batch: { maxPending: 5 }, plugins: [exploder] });
  });
  after(() => server?.stop());

  const native = (body: string, headers: Record<string, string> = {}, key: string | null = server.project.publicKey) =>
    fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...headers },
      body,
    });
  const envelope = (projectId: number, key: string, body: string) =>
    fetch(`${server.url}/api/${projectId}/envelope/?sentry_key=${key}&sentry_version=7`, { method: 'POST', body });

  it('on the native and Sentry routes: 401, 403, 413, 415, 429, bad JSON, schema, hook failure, overload', async () => {
    const other = await server.createProject('other');
    const { publicKey: limited } = await createPublicKey(server.faultline.storage, server.project.id, { rateLimitPerMinute: 1 });
    const { publicKey: originBound } = await createPublicKey(server.faultline.storage, server.project.id, { allowedOrigins: ['https://shop.example'] });
    const item = (e: object) => `${JSON.stringify({ event_id: (e as any).event_id })}\n{"type":"event"}\n${JSON.stringify(e)}`;

    const answers = [
      await native(JSON.stringify(event()), {}, null), // 401 missing
      await native(JSON.stringify(event()), {}, 'no_such_key'), // 401 invalid
      await envelope(other.id, server.project.publicKey, item(event())), // 403 key of another project
      await native(JSON.stringify(event()), { origin: 'https://evil.example' }, originBound), // 403 origin
      await native(JSON.stringify(event({ extra: { blob: 'x'.repeat(8000) } }))), // 413
      await native(JSON.stringify(event()), { 'content-type': 'application/xml' }), // 415
      await native('{"message": '), // bad JSON
      await envelope(server.project.id, server.project.publicKey, item({ event_id: 'e'.repeat(32), level: 'nonsense' })), // schema
      await native(JSON.stringify(event({ tags: { explode: 'yes' } }))), // hook failure
      await native(JSON.stringify({ events: Array.from({ length: 6 }, () => event()) })), // overload: more than maxPending
      await native(JSON.stringify(event()), {}, limited),
      await native(JSON.stringify(event()), {}, limited), // 429
    ];
    expect(answers.map((a) => a.status)).to.deep.equal([401, 401, 403, 403, 413, 415, 400, 400, 500, 503, 202, 429]);
    const codes = await Promise.all(answers.filter((a) => a.status !== 202).map(async (a) => ((await a.json()) as any).error.code as string));

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const counted = (code: string, status: number) => Number(new RegExp(`faultline_events_rejected_total\\{code="${code}",status="${status}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
    expect(counted('FAULTLINE_ERR_AUTH_MISSING', 401)).to.equal(1);
    expect(counted('FAULTLINE_ERR_AUTH_INVALID', 401)).to.equal(1);
    expect(counted('FAULTLINE_ERR_AUTH_PROJECT_MISMATCH', 403)).to.equal(1);
    expect(counted('FAULTLINE_ERR_INGEST_ORIGIN', 403)).to.equal(1);
    expect(counted('FAULTLINE_ERR_INGEST_BODY_TOO_LARGE', 413)).to.equal(1);
    expect(counted('FAULTLINE_ERR_INGEST_CONTENT_TYPE', 415)).to.equal(1);
    expect(counted(codes[6], 400), `bad JSON is counted as ${codes[6]}`).to.equal(1);
    expect(counted('FAULTLINE_ERR_INGEST_SCHEMA', 400)).to.equal(1);
    expect(counted('FAULTLINE_ERR_INGEST_HOOK_FAILED', 500)).to.equal(1);
    expect(counted('FAULTLINE_ERR_INGEST_OVERLOADED', 503)).to.equal(1);
    expect(counted('FAULTLINE_ERR_INGEST_RATE_LIMITED', 429)).to.equal(1);
    const total = [...metrics.matchAll(/^faultline_events_rejected_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(total, 'one count per refused request').to.equal(codes.length);
  });

  it('an event refused inside an accepted batch is counted once, the batch not at all', async () => {
    const before = await (await fetch(`${server.url}/metrics`)).text();
    const schemaBefore = Number(/faultline_events_rejected_total\{code="FAULTLINE_ERR_INGEST_SCHEMA",status="400"\} (\d+)/.exec(before)?.[1] ?? 0);
    const res = await native(JSON.stringify({ events: [event(), { event_id: 'f'.repeat(32), level: 'nonsense' }] }));
    expect(res.status).to.equal(202);
    const after = await (await fetch(`${server.url}/metrics`)).text();
    expect(Number(/faultline_events_rejected_total\{code="FAULTLINE_ERR_INGEST_SCHEMA",status="400"\} (\d+)/.exec(after)?.[1])).to.equal(schemaBefore + 1);
  });
});
