import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { api, eventually, issues, storedEvent } from './sentry-helpers.js';

const APP = fileURLToPath(new URL('./fixtures/sentry/node-sdk-app.ts', import.meta.url));

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  status: number;
}

/** A pass-through proxy that records what the SDK sent on the wire (encoding, path) and what it got back. */
async function recordingProxy(target: string): Promise<{ origin: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    const upstream = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, status: answer.statusCode! });
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Runs the app in its own process (the SDK is global state) and returns the ids it printed. */
async function runApp(dsn: string, scenario: string): Promise<Record<string, string>> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', APP, dsn, scenario], { encoding: 'utf8', timeout: 30_000 });
  const result = JSON.parse(stdout.trim().split('\n').pop()!);
  expect(result.flushed, 'Sentry.flush resolved true').to.equal(true);
  return result.ids;
}

describe('sentry: the real @sentry/node SDK against a real server', function () {
  this.timeout(60_000);
  let server: PostgresTestServer;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let dsn: string;

  before(async () => {
    server = await startPostgresTestServer();
    proxy = await recordingProxy(server.origin);
    dsn = server.project.dsn.replace(server.origin.replace('http://', ''), proxy.origin.replace('http://', ''));
  });
  after(async () => {
    await proxy?.close();
    await server?.stop();
  });

  it('delivers exceptions with causes, messages, breadcrumbs, tags, user, contexts, release and environment, and groups them', async () => {
    const ids = await runApp(dsn, 'rich');
    const first = await storedEvent(server, ids.first);
    const second = await storedEvent(server, ids.second);
    const message = await storedEvent(server, ids.message);

    // wire: envelopes with the key in the query, no content type, answered 200
    const envelopes = proxy.seen.filter((s) => s.url.startsWith(`/faultline/api/${server.project.id}/envelope/`));
    expect(envelopes.length).to.be.at.least(3);
    expect(envelopes.every((s) => s.status === 200 && s.url.includes(`sentry_key=${server.project.publicKey}`))).to.equal(true);

    const e = first.event;
    expect(e.platform).to.equal('node');
    expect(e.release).to.equal('node-app@1.2.3');
    expect(e.environment).to.equal('test-env');
    expect(e.server_name).to.equal('node-test-host');
    expect(e.tags).to.include({ tenant: 'acme' });
    expect(e.user).to.include({ id: 'user-7', email: 'ada@example.com', username: 'ada' });
    expect(e.contexts.order).to.deep.equal({ id: 'A-17', total: 12.5, items: 3 });
    expect(e.contexts.runtime.name).to.equal('node');
    expect(e.sdk).to.include({ name: 'sentry.javascript.node', version: '11.11.0' });
    expect(e.breadcrumbs.map((b: any) => b.message)).to.include.members(['added item 3', 'calling the gateway']);
    expect(e.breadcrumbs.find((b: any) => b.category === 'cart').data).to.deep.equal({ sku: 'X-1' });

    // the cause first, the thrown error last (Sentry's order); frames oldest first, with source context
    const [cause, outer] = e.exception.values;
    expect(cause.type).to.equal('SyntaxError');
    expect(cause.mechanism).to.include({ type: 'chained', source: 'cause' });
    expect(outer.type).to.equal('PaymentDeclined');
    expect(outer.value).to.equal('card declined for order 17');
    const top = outer.stacktrace.frames[outer.stacktrace.frames.length - 1];
    expect(top).to.include({ function: 'chargeCard', in_app: true });
    expect(top.context_line).to.include('throw new PaymentDeclined');

    // the same error from the same code groups into one issue; the message is its own issue
    expect(second.issueId).to.equal(first.issueId);
    const list = await eventually(async () => {
      const found = await issues(server);
      return found.find((i: any) => i.id === first.issueId)?.count === 2 ? found : undefined;
    }, 'the issue to count both events');
    const issue = list.find((i: any) => i.id === first.issueId);
    expect(issue).to.include({ level: 'error', release: 'node-app@1.2.3', userCount: 1 });
    expect(issue.title).to.match(/^PaymentDeclined: card declined for order 1[78]$/); // either event may be the issue's latest
    expect(issue.culprit).to.equal('chargeCard (node-sdk-app.ts)');
    expect(message.issueId).to.not.equal(first.issueId);
    expect(message.event).to.include({ message: 'inventory low for sku X-1', level: 'warning' });
    const messageIssue = list.find((i: any) => i.id === message.issueId);
    expect(messageIssue).to.include({ title: 'inventory low for sku X-1', type: 'message', level: 'warning' });
    const events = await api(server, `/issues/${first.issueId}/events`);
    expect(events.data.map((x: any) => x.id)).to.have.members([ids.first, ids.second]);

    // the SDK's session updates were accepted and dropped
    const dropped = (await server.faultline.metrics.itemsDropped.get()).values.find((v) => v.labels.type === 'session');
    expect(dropped?.value ?? 0).to.be.greaterThan(0);
  });

  it('gzips a large event, and Faultline accepts it', async () => {
    const ids = await runApp(dsn, 'large');
    const stored = await storedEvent(server, ids.large);
    expect(stored.event.exception.values[0]).to.include({ type: 'RangeError', value: 'a large event' });
    expect(stored.event.contexts.payload.blob).to.have.length.greaterThan(10_000);
    const gzipped = proxy.seen.filter((s) => s.headers['content-encoding'] === 'gzip');
    expect(gzipped.length, 'the SDK sent a gzipped envelope').to.be.at.least(1);
    expect(gzipped.every((s) => s.status === 200)).to.equal(true);
  });
});
