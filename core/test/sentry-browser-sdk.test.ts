import { expect } from 'chai';
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { eventually, issues, storedEvent } from './sentry-helpers.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The page's script: the real @sentry/browser, bundled with esbuild, plus a scenario the test calls. */
const PAGE_SCRIPT = `
import * as Sentry from '@sentry/browser';

function chargeCard(order) {
  try {
    null.total;
  } catch (err) {
    throw new Error('card declined for order ' + order, { cause: err });
  }
}
function checkout(order) {
  try {
    chargeCard(order);
  } catch (err) {
    return Sentry.captureException(err);
  }
}

window.runScenario = async (dsn) => {
  Sentry.init({ dsn, release: 'web@4.5.6', environment: 'browser-test', sampleRate: 1 });
  Sentry.setTag('page', 'checkout');
  Sentry.setUser({ id: 'web-user-1', email: 'grace@example.com' });
  Sentry.setContext('cart', { items: 2, currency: 'EUR' });
  Sentry.addBreadcrumb({ category: 'ui.click', message: 'pay button', level: 'info' });
  const ids = { first: checkout('B-1'), second: checkout('B-2'), message: Sentry.captureMessage('coupon service slow', 'warning') };
  ids.flushed = await Sentry.flush(5000);
  return ids;
};

window.sendMore = async (n) => {
  const ids = [];
  for (let i = 0; i < n; i++) ids.push(Sentry.captureException(new TypeError('rate limited ' + i)));
  await Sentry.flush(5000);
  return ids;
};
`;

async function bundle(): Promise<string> {
  const result = await build({
    stdin: { contents: PAGE_SCRIPT, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** A page on another origin (another loopback port), so every report is a cross-origin request. */
async function pageServer(script: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>shop</title><script src="/app.js"></script>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe('sentry: the real @sentry/browser SDK in Chromium, cross-origin', function () {
  this.timeout(60_000);
  let browser: Browser;
  let site: Awaited<ReturnType<typeof pageServer>>;

  before(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    site = await pageServer(await bundle());
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  async function openPage(): Promise<{ page: Page; answers: { url: string; status: number }[] }> {
    const page = await browser.newPage();
    const answers: { url: string; status: number }[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/envelope/')) answers.push({ url: r.url(), status: r.status() });
    });
    await page.goto(`${site.origin}/`);
    await page.waitForFunction(() => typeof (globalThis as any).runScenario === 'function');
    return { page, answers };
  }

  describe('reporting', () => {
    let server: PostgresTestServer;
    before(async () => {
      server = await startPostgresTestServer();
    });
    after(() => server?.stop());

    it('delivers exceptions with causes, messages, breadcrumbs, tags, user, contexts, release and environment, and groups them', async () => {
      const { page, answers } = await openPage();
      const ids = await page.evaluate((dsn) => (globalThis as any).runScenario(dsn), server.project.dsn);
      expect(ids.flushed).to.equal(true);
      const first = await storedEvent(server, ids.first);
      const second = await storedEvent(server, ids.second);
      const message = await storedEvent(server, ids.message);
      expect(answers.length).to.be.at.least(3);
      expect(answers.every((a) => a.status === 200)).to.equal(true);

      const e = first.event;
      expect(e.platform).to.equal('javascript');
      expect(e).to.include({ release: 'web@4.5.6', environment: 'browser-test' });
      expect(e.sdk).to.include({ name: 'sentry.javascript.browser', version: '11.11.0' });
      expect(e.tags).to.include({ page: 'checkout' });
      expect(e.user).to.include({ id: 'web-user-1', email: 'grace@example.com' });
      expect(e.contexts.cart).to.deep.equal({ items: 2, currency: 'EUR' });
      expect(e.breadcrumbs.some((b: any) => b.category === 'ui.click' && b.message === 'pay button')).to.equal(true);
      expect(e.request.url).to.equal(`${site.origin}/`);
      expect(e.request.headers['User-Agent']).to.include('Chrome');
      const [cause, outer] = e.exception.values;
      expect(cause.type).to.equal('TypeError');
      expect(outer).to.include({ type: 'Error', value: 'card declined for order B-1' });
      expect(outer.stacktrace.frames.some((f: any) => f.function === 'chargeCard' && f.filename === `${site.origin}/app.js`)).to.equal(true);

      expect(second.issueId).to.equal(first.issueId);
      expect(message.issueId).to.not.equal(first.issueId);
      expect(message.event).to.include({ message: 'coupon service slow', level: 'warning' });
      const issue = await eventually(async () => (await issues(server)).find((i: any) => i.id === first.issueId && i.count === 2), 'both events in one issue');
      expect(issue).to.include({ release: 'web@4.5.6', userCount: 1 });
      expect(issue.title).to.match(/^Error: card declined for order B-[12]$/); // either event may be the issue's latest
      await page.close();
    });

    it('passes a CORS preflight for a request with X-Sentry-Auth and a content type', async () => {
      const { page } = await openPage();
      const envelopeUrl = `${server.url}/api/${server.project.id}/envelope/`;
      const status = await page.evaluate(async ({ url, key }) => {
        const body = '{}\n{"type":"event"}\n{"message":"sent with a preflight"}';
        const res = await fetch(url, {
          method: 'POST',
          body,
          headers: { 'Content-Type': 'application/x-sentry-envelope', 'X-Sentry-Auth': `Sentry sentry_version=7, sentry_key=${key}` },
        });
        return { status: res.status, body: (await res.json()) as any };
      }, { url: envelopeUrl, key: server.project.publicKey });
      expect(status.status).to.equal(200);
      expect(status.body.id).to.match(/^[0-9a-f]{32}$/);
      await page.close();
    });
  });

  describe('rate limits', () => {
    let server: PostgresTestServer;
    before(async () => {
      server = await startPostgresTestServer({ rateLimitPerMinute: 1 });
    });
    after(() => server?.stop());

    it('the SDK reads X-Sentry-Rate-Limits across origins and stops sending errors', async () => {
      const { page, answers } = await openPage();
      await page.evaluate((dsn) => (globalThis as any).runScenario(dsn), server.project.dsn);
      expect(answers.some((a) => a.status === 429)).to.equal(true);
      const before = answers.length;
      await page.evaluate(() => (globalThis as any).sendMore(3));
      // the SDK backs off: nothing more reaches the network while the limit lasts
      expect(answers.length).to.equal(before);
      await page.close();
    });
  });
});
