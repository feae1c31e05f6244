/**
 * The Node SDK in child processes against a real Faultline: values JSON cannot write, secrets in query
 * strings through the Express handler, and a SIGTERM in the same tick as a capture.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { runChild } from './helpers/child.js';
import { storedEvents, waitFor, type StoredEvent } from './helpers/server-events.js';

const FIXTURE = 'sdk/test/fixtures/reliability-child.ts';

describe('Node SDK reliability (child processes)', function () {
  this.timeout(60_000);
  let server: PostgresTestServer;
  let dir: string;

  before(async () => {
    server = await startPostgresTestServer();
    dir = mkdtempSync(join(tmpdir(), 'faultline-sdk-reliability-'));
  });

  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function run(scenario: string, queueFile: string) {
    return runChild(FIXTURE, { FAULTLINE_DSN: server.project.dsn, FAULTLINE_QUEUE_FILE: join(dir, queueFile), FAULTLINE_SCENARIO: scenario });
  }

  async function eventsWith(message: string, n = 1): Promise<StoredEvent[]> {
    const all = await waitFor(() => storedEvents(server), (e) => e.filter((x) => x.event.message === message || x.event.exception?.values.some((v) => v.value === message)).length >= n);
    return all.filter((x) => x.event.message === message || x.event.exception?.values.some((v) => v.value === message));
  }

  it('sends events holding BigInt and cycles, and the process ends on its own with code 0', async () => {
    const end = await run('bigint', 'bigint.json');
    expect(end.code, end.stderr).to.equal(0);
    const [outside] = await eventsWith('bigint and a cycle');
    const extra = outside.event.extra as Record<string, unknown>;
    expect(extra.big).to.equal('10');
    const order = (outside.event.contexts as Record<string, Record<string, unknown>>).order;
    expect(order.total).to.equal('12');
    expect(JSON.stringify(order)).to.match(/\[Circular\]|\[Object\]/);
    const [inside] = await eventsWith('bigint inside a scope');
    expect((inside.event.extra as Record<string, unknown>).inScope).to.equal('3');
  });

  it('scrubs secrets from query strings and breadcrumb URLs in what the Express handler reports', async () => {
    const end = await run('express', 'express.json');
    expect(end.code, end.stderr).to.equal(0);
    const events = await eventsWith('order lookup failed', 2);
    const queries = events.map((e) => (e.event.request as { query_string: string }).query_string).sort();
    expect(queries).to.deep.equal(['password=[Filtered]', 'token=[Filtered]&color=red']);
    const text = JSON.stringify(events.map((e) => e.event));
    for (const secret of ['abc123', 'hunter2', 'zzz']) expect(text).not.to.include(secret);
    const crumb = (events[0].event.breadcrumbs as Array<{ data?: { url?: string } }>).find((b) => b.data?.url);
    expect(crumb!.data!.url).to.equal('https://api.example.com/cb?access_token=[Filtered]&ok=1');
  });

  it('keeps an event captured in the same tick as SIGTERM, leaves no temporary file, and sends it on the next start', async () => {
    const end = await run('sigterm', 'sigterm.json');
    expect(end.signal).to.equal('SIGTERM');
    const file = join(dir, 'sigterm.json');
    expect(existsSync(file)).to.equal(true);
    expect(JSON.parse(readFileSync(file, 'utf8')).map((e: { message: string }) => e.message)).to.deep.equal(['captured as SIGTERM came']);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);

    const next = await run('resend', 'sigterm.json');
    expect(next.code, next.stderr).to.equal(0);
    await eventsWith('captured as SIGTERM came');
    expect(existsSync(file)).to.equal(false);
  });
});
