/**
 * End to end in real Chromium: a page with the IIFE bundle throws, goes offline, throws again, comes back,
 * and every event reaches a real Faultline exactly once.
 */
import { expect } from 'chai';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { storedEvents, waitFor } from './helpers/server-events.js';

declare const Faultline: { lastEventId(): string | undefined; flush(t?: number): Promise<boolean> };

function page(dsn: string): string {
  return `<!doctype html><html><head><title>sdk e2e</title><script src="/sdk.js"></script>
<script>
  window.sent = [];
  Faultline.init({
    dsn: ${JSON.stringify(dsn)},
    release: 'web@1.0.0',
    batchDelay: 50,
    beforeSend: function (e) { window.sent.push(e.event_id); return e; },
  });
  window.boom = function (n) { setTimeout(function thrower() { throw new Error('boom ' + n); }); };
  window.queued = function () {
    return new Promise(function (resolve) {
      var r = indexedDB.open('faultline', 1);
      r.onsuccess = function () {
        var g = r.result.transaction('q', 'readonly').objectStore('q').getAll();
        g.onsuccess = function () { resolve(g.result.reduce(function (n, list) { return n + list.length; }, 0)); };
      };
    });
  };
</script></head><body><button id="buy" class="primary big">Buy</button></body></html>`;
}

describe('browser SDK end to end (Chromium)', function () {
  this.timeout(90_000);
  let server: PostgresTestServer;
  let browser: Browser;
  let context: BrowserContext;
  let tab: Page;

  before(async () => {
    server = await startPostgresTestServer();
    const bundle = await esbuild.build({
      entryPoints: ['sdk/src/browser/global.ts'],
      bundle: true,
      minify: true,
      format: 'iife',
      platform: 'browser',
      define: { __DEBUG__: 'false' },
      write: false,
    });
    const js = bundle.outputFiles![0].text;
    server.app.get('/sdk.js', (_req, res) => void res.type('application/javascript').send(js));
    server.app.get('/page', (_req, res) => void res.type('html').send(page(server.project.dsn)));
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context = await browser.newContext();
    tab = await context.newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sends an uncaught error with breadcrumbs, then survives going offline, and stores every event once', async () => {
    await tab.goto(server.origin + '/page');
    await tab.click('#buy');
    await tab.evaluate(() => (window as unknown as { boom(n: number): void }).boom(1));
    await waitFor(() => storedEvents(server), (e) => e.length === 1);

    await context.setOffline(true);
    await tab.evaluate(() => (window as unknown as { boom(n: number): void }).boom(2));
    await tab.evaluate(() => (window as unknown as { boom(n: number): void }).boom(3));
    // both wait in IndexedDB while the network is down
    await waitFor(() => tab.evaluate(() => (window as unknown as { queued(): Promise<number> }).queued()), (n) => n === 2);
    expect((await storedEvents(server)).length).to.equal(1);

    await context.setOffline(false);
    const events = await waitFor(() => storedEvents(server), (e) => e.length >= 3);
    // give stragglers (a duplicate send would be one) a chance to arrive before counting
    await tab.evaluate(() => Faultline.flush(5000));
    const sent = await tab.evaluate(() => (window as unknown as { sent: string[] }).sent);
    const stored = (await storedEvents(server)).map((e) => e.id);
    expect(sent).to.have.length(3);
    expect(stored.slice().sort()).to.deep.equal(sent.slice().sort());
    expect(await tab.evaluate(() => (window as unknown as { queued(): Promise<number> }).queued())).to.equal(0);

    const first = events.find((e) => e.event.exception?.values[0].value === 'boom 1')!.event;
    expect(first.platform).to.equal('javascript');
    expect(first.release).to.equal('web@1.0.0');
    expect(first.exception!.values[0].mechanism).to.deep.include({ type: 'onerror', handled: false });
    const frames = first.exception!.values[0].stacktrace!.frames;
    expect(frames[frames.length - 1]).to.include({ function: 'thrower', in_app: true });
    const crumbs = (first.breadcrumbs as Array<{ category: string; message?: string }>) ?? [];
    expect(crumbs.map((c) => c.category)).to.include('ui.click');
    expect(crumbs.find((c) => c.category === 'ui.click')!.message).to.equal('button#buy.primary.big');
    expect((first.request as { url: string }).url).to.equal(server.origin + '/page');
  });

  it('keeps an event captured offline in IndexedDB across page loads and sends it from the next page', async () => {
    const before = (await storedEvents(server)).length;
    await context.setOffline(true);
    await tab.evaluate(() => (window as unknown as { boom(n: number): void }).boom(4));
    await waitFor(() => tab.evaluate(() => (window as unknown as { queued(): Promise<number> }).queued()), (n) => n === 1);
    const id = await tab.evaluate(() => (window as unknown as { sent: string[] }).sent.slice(-1)[0]);
    // the next page is opened before the old one closes, so the browser keeps the context
    const next = await context.newPage();
    await tab.close();
    await context.setOffline(false);
    tab = next;
    await tab.goto(server.origin + '/page');
    const events = await waitFor(() => storedEvents(server), (e) => e.length > before);
    await tab.evaluate(() => Faultline.flush(5000));
    const stored = (await storedEvents(server)).map((e) => e.id);
    expect(stored.filter((x) => x === id)).to.have.length(1);
    expect(stored).to.have.length(before + 1);
    expect(events.some((e) => e.id === id)).to.equal(true);
  });
});
