/**
 * What the browser SDK keeps when the server cannot take its events, in real Chromium, on a page of
 * another origin than Faultline: database outages (503 with Retry-After), a hidden tab, a rate-limited
 * key, and values JSON cannot write.
 */
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { launchChromium, sdkBundle, startPageServer } from './helpers/browser.js';
import { cutDatabase } from './helpers/database-outage.js';
import { storedEvents, waitFor } from './helpers/server-events.js';

interface Answer {
  status: number;
  retryAfter: string | null;
  remaining: string | null;
}
interface PageApi {
  answers: Answer[];
  beacons: number;
  errors: string[];
  capture(message: string): string;
  queued(): Promise<number>;
  hide(): void;
}
declare const Faultline: {
  setExtra(k: string, v: unknown): void;
  setContext(k: string, v: unknown): void;
  withScope<T>(fn: (scope: { setExtra(k: string, v: unknown): void }) => T): T;
  captureMessage(m: string): string;
};
/** What the page offers the test, on `window.t`. */
declare const t: PageApi;

/**
 * The page records what the SDK's requests were answered, and counts its beacons (it wraps fetch before
 * the SDK takes it), and offers the SDK to the test. `seed` runs first (to put an event into IndexedDB).
 */
function page(dsn: string, options: Record<string, unknown>, seed = ''): string {
  return `<!doctype html><html><head><script>
  window.t = { answers: [], beacons: 0, errors: [] };
  addEventListener('error', function (e) { t.errors.push(String(e.message)); });
  var realFetch = window.fetch;
  window.fetch = function (url, init) {
    if (String(url).indexOf('faultline_key=') >= 0) t.beacons++;
    return realFetch.apply(this, arguments).then(function (r) {
      t.answers.push({ status: r.status, retryAfter: r.headers.get('Retry-After'), remaining: r.headers.get('RateLimit-Remaining') });
      return r;
    });
  };
  ${seed}
</script><script src="/sdk.js"></script><script>
  Faultline.init(Object.assign({ dsn: ${JSON.stringify(dsn)}, batchDelay: 50, retryBase: 50, autoCapture: { console: false } }, ${JSON.stringify(options)}));
  t.capture = function (m) { return Faultline.captureMessage(m); };
  t.hide = function () {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  };
  t.queued = function () {
    return new Promise(function (resolve) {
      var r = indexedDB.open('faultline', 1);
      r.onupgradeneeded = function () { r.result.createObjectStore('q'); };
      r.onsuccess = function () {
        var g = r.result.transaction('q', 'readonly').objectStore('q').getAll();
        g.onsuccess = function () { resolve(g.result.reduce(function (n, list) { return n + list.length; }, 0)); };
      };
    });
  };
</script></head><body></body></html>`;
}

describe('browser SDK when the server cannot take its events (Chromium, another origin)', function () {
  this.timeout(90_000);
  let server: PostgresTestServer;
  let limited: PostgresTestServer;
  let pages: Awaited<ReturnType<typeof startPageServer>>;
  let browser: Browser;
  let context: BrowserContext;

  async function open(path: string): Promise<Page> {
    const tab = await context.newPage();
    await tab.goto(pages.origin + path);
    return tab;
  }

  const ids = async (target: PostgresTestServer) => (await storedEvents(target)).map((e) => e.id);

  before(async () => {
    [server, limited, pages, browser] = await Promise.all([startPostgresTestServer(), startPostgresTestServer({ rateLimitPerMinute: 2 }), startPageServer(), launchChromium()]);
    const { js, map } = await sdkBundle();
    pages.app.get('/sdk.js', (_req, res) => void res.type('application/javascript').send(js));
    pages.app.get('/sdk.js.map', (_req, res) => void res.type('application/json').send(map));
    pages.app.get('/console', (_req, res) =>
      void res.type('html').send(`<!doctype html><script src="/sdk.js"></script><script>
Faultline.init({ dsn: ${JSON.stringify(server.project.dsn)}, batchDelay: 50 });
function checkout() {
  console.warn('cart is empty');
}
</script>`),
    );
    pages.app.get('/page', (_req, res) => void res.type('html').send(page(server.project.dsn, {})));
    pages.app.get('/limited', (_req, res) => void res.type('html').send(page(limited.project.dsn, {})));
    // an event JSON cannot write, left in IndexedDB by an earlier page (structured clone keeps a BigInt)
    const seed = `var s = indexedDB.open('faultline', 1);
      s.onupgradeneeded = function () { s.result.createObjectStore('q'); };
      s.onsuccess = function () { s.result.transaction('q', 'readwrite').objectStore('q').put([{ event_id: 'ffffffffffffffffffffffffffffffff', timestamp: new Date().toISOString(), level: 'error', message: 'left over', extra: { n: 1n } }], 'faultline:' + ${JSON.stringify(server.url + '/api/v1/events')}); };`;
    pages.app.get('/seeded', (_req, res) => void res.type('html').send(page(server.project.dsn, {}, seed)));
  });

  beforeEach(async () => {
    // each test starts with an empty IndexedDB
    context = await browser.newContext();
  });

  afterEach(async () => {
    await context?.close();
  });

  after(async () => {
    await browser?.close();
    await pages?.stop();
    await Promise.all([server?.stop(), limited?.stop()]);
  });

  it('keeps events through a database outage, reads Retry-After across origins, and sends each once after', async () => {
    const tab = await open('/page');
    const warm = await tab.evaluate(() => t.capture('before the outage'));
    await waitFor(() => ids(server), (stored) => stored.includes(warm));

    const restore = await cutDatabase(server.database.url);
    let sent: string[];
    try {
      sent = [await tab.evaluate(() => t.capture('outage 1')), await tab.evaluate(() => t.capture('outage 2')), await tab.evaluate(() => t.capture('outage 3'))];
      // two 503s in a row, their Retry-After read by the page: the SDK waits as told and keeps the events
      const answers = await waitFor(() => tab.evaluate(() => t.answers.filter((a) => a.status === 503)), (a) => a.length >= 2);
      expect(answers[0].retryAfter).to.match(/^\d+$/);
      expect(await tab.evaluate(() => t.queued())).to.equal(3);
    } finally {
      await restore();
    }
    const stored = await waitFor(() => ids(server), (s) => sent.every((id) => s.includes(id)));
    expect(stored.filter((id) => sent.includes(id))).to.have.length(3);
    await waitFor(() => tab.evaluate(() => t.queued()), (n) => n === 0);
  });

  it('persists on hide, sends no beacon while Retry-After holds, and a later page sends everything', async () => {
    const tab = await open('/page');
    const restore = await cutDatabase(server.database.url);
    const sent: string[] = [];
    try {
      sent.push(await tab.evaluate(() => t.capture('hidden 1')), await tab.evaluate(() => t.capture('hidden 2')));
      await waitFor(() => tab.evaluate(() => t.answers.filter((a) => a.status === 503).length), (n) => n >= 1);
      await tab.evaluate(() => t.hide());
      sent.push(await tab.evaluate(() => t.capture('hidden 3')), await tab.evaluate(() => t.capture('hidden 4')));
      await tab.evaluate(() => t.hide());
      expect(await tab.evaluate(() => t.beacons)).to.equal(0);
      await waitFor(() => tab.evaluate(() => t.queued()), (n) => n === 4);
      await tab.close({ runBeforeUnload: true });
    } finally {
      await restore();
    }
    await open('/page');
    const stored = await waitFor(() => ids(server), (s) => sent.every((id) => s.includes(id)));
    expect(stored.filter((id) => sent.includes(id))).to.have.length(4);
  });

  it('splits a batch under the rate limit: what fits is stored at once, the rest is kept', async () => {
    const tab = await open('/limited');
    const sent = await tab.evaluate(() => {
      const out: string[] = [];
      for (let i = 0; i < 10; i++) out.push(t.capture('limited ' + i));
      return out;
    });
    const stored = await waitFor(() => ids(limited), (s) => s.length >= 2);
    expect(stored).to.have.length(2);
    expect(stored.every((id) => sent.includes(id))).to.equal(true);
    const answers = await tab.evaluate(() => t.answers);
    expect(answers[0]).to.include({ status: 429, remaining: '2' });
    expect(answers.some((a) => a.status === 202)).to.equal(true);
    await waitFor(() => tab.evaluate(() => t.queued()), (n) => n === 8);
  });

  it("keeps the app's own line as the call site of its console calls where the browser honours an ignore list", async () => {
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    const calls: Array<Array<{ url: string; functionName: string; lineNumber: number }>> = [];
    cdp.on('Runtime.consoleAPICalled', (e) => void calls.push(e.stackTrace?.callFrames ?? []));
    await cdp.send('Runtime.enable');
    await tab.goto(pages.origin + '/console');
    await tab.evaluate(() => (window as unknown as { checkout(): void }).checkout());
    const frames = (await waitFor(async () => calls.find((c) => c.some((f) => f.functionName === 'checkout')), (c) => !!c))!;

    // the bundle names its map, and the map puts every SDK source on the ignore list
    const js = await (await fetch(pages.origin + '/sdk.js')).text();
    expect(js).to.match(/\/\/# sourceMappingURL=sdk\.js\.map\s*$/);
    const map = (await (await fetch(pages.origin + '/sdk.js.map')).json()) as { sources: string[]; x_google_ignoreList: number[]; ignoreList: number[] };
    expect(map.x_google_ignoreList).to.deep.equal(map.sources.map((_s, i) => i));
    expect(map.ignoreList).to.deep.equal(map.x_google_ignoreList);

    // so the first frame outside it, which DevTools shows as the call site, is the app's own line
    const first = frames.find((f) => !f.url.endsWith('/sdk.js'))!;
    expect(first).to.include({ functionName: 'checkout', url: pages.origin + '/console', lineNumber: 3 });
    // and the call still became a breadcrumb
    const id = await tab.evaluate(() => (window as unknown as { Faultline: { captureMessage(m: string): string } }).Faultline.captureMessage('after a warning'));
    const stored = await waitFor(() => storedEvents(server), (s) => s.some((e) => e.id === id));
    const crumbs = stored.find((e) => e.id === id)!.event.breadcrumbs as Array<{ category: string; message?: string }>;
    expect(crumbs.some((c) => c.category === 'console' && c.message === 'cart is empty')).to.equal(true);
  });

  it('sends events holding BigInt and cycles, never throws into the page, and sends a stored event JSON could not write', async () => {
    const tab = await open('/seeded');
    const id = await tab.evaluate(() => {
      const deep: Record<string, unknown> = { level: 0 };
      let at = deep;
      for (let i = 1; i < 12; i++) at = (at.next = { level: i }) as Record<string, unknown>;
      at.loop = deep;
      Faultline.setExtra('big', 10n);
      Faultline.setContext('deep', deep);
      const inner = Faultline.withScope((scope) => {
        scope.setExtra('alsoBig', 2n ** 70n);
        return Faultline.captureMessage('inside a scope with a BigInt');
      });
      return [Faultline.captureMessage('with a BigInt and a cycle'), inner];
    });
    const stored = await waitFor(() => storedEvents(server), (s) => id.every((x) => s.some((e) => e.id === x)));
    const event = stored.find((e) => e.id === id[0])!.event as { extra: Record<string, unknown>; contexts: Record<string, unknown> };
    expect(event.extra.big).to.equal('10');
    expect(JSON.stringify(event.contexts.deep)).to.match(/\[Circular\]|\[Object\]/);
    expect((stored.find((e) => e.id === id[1])!.event as { extra: Record<string, unknown> }).extra.alsoBig).to.equal(String(2n ** 70n));
    const leftOver = await waitFor(() => storedEvents(server), (s) => s.some((e) => e.id === 'ffffffffffffffffffffffffffffffff'));
    expect((leftOver.find((e) => e.id === 'ffffffffffffffffffffffffffffffff')!.event.extra as Record<string, unknown>).n).to.equal('1');
    // and the SDK goes on sending
    const later = await tab.evaluate(() => t.capture('after the BigInt'));
    await waitFor(() => ids(server), (s) => s.includes(later));
    expect(await tab.evaluate(() => t.errors)).to.deep.equal([]);
  });
});
