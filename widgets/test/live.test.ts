/**
 * Live updates with the host's own session (cookies and `authorize`, so the widgets use EventSource):
 * an issue page updates without a reload, and after the stream drops it says so, reconnects and
 * catches up.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { launchChromium } from './helpers/browser.js';
import { errorEvent, seed } from './helpers/seed.js';
import { hostPage, startWidgetsServer } from './helpers/widgets-server.js';
import { waitUntil } from './helpers/wait.js';

describe('live stream with the host session (EventSource, Chromium)', function () {
  this.timeout(120_000);
  let server: PostgresTestServer;
  let browser: Browser;
  let tab: Page;
  let streams: string[];

  before(async () => {
    server = await startWidgetsServer({
      authorize: async (req) => (/(^|;\s*)session=ok(;|$)/.test(req.headers.cookie ?? '') ? { role: 'member', projectIds: null } : null),
    });
    await seed(server, [errorEvent('1')]);
    server.app.get('/admin', (_req, res) => {
      res.type('html').send(hostPage(`<faultline-dashboard base-url="/faultline" project="${server.project.id}"></faultline-dashboard>`));
    });
    browser = await launchChromium();
    const context = await browser.newContext();
    await context.addCookies([{ name: 'session', value: 'ok', url: server.origin }]);
    tab = await context.newPage();
    streams = [];
    tab.on('request', (r) => {
      if (r.url().includes('/stream')) streams.push(`${r.resourceType()} ${r.url()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('updates an open issue page live, and reconnects after the stream drops', async () => {
    await tab.goto(`${server.origin}/admin`);
    await tab.locator('vaadin-grid-cell-content', { hasText: 'SeedError1' }).click();
    const detail = tab.locator('faultline-issue-detail');
    await detail.locator('.facts').getByText('Events').waitFor();
    await tab.locator('faultline-live-status[state=live]').waitFor();
    expect(streams[0]).to.match(/^eventsource /);
    const events = () => detail.locator('.facts div', { hasText: 'Events' }).locator('dd').textContent();
    expect(await events()).to.equal('1');

    await seed(server, [errorEvent('1')]);
    await waitUntil(events, (n) => n === '2');

    // the server drops every connection: the UI says so, reconnects, and shows what came meanwhile
    server.server.closeAllConnections();
    await tab.locator('faultline-live-status[state=offline]').waitFor();
    await tab.locator('faultline-live-status[state=live]').waitFor({ timeout: 10_000 });
    expect(streams.length).to.be.greaterThan(1);
    await seed(server, [errorEvent('1')]);
    await waitUntil(events, (n) => n === '3');
  });
});
