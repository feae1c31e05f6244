/**
 * The dashboard in real Chromium, against a real Faultline with seeded issues: lazy paging, search,
 * the issue page, status changes, live updates, and the error state.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '@faultline/plugin-storage-postgres/testing';
import { launchChromium } from './helpers/browser.js';
import { errorEvent, seed } from './helpers/seed.js';
import { hostPage, startWidgetsServer } from './helpers/widgets-server.js';

describe('<faultline-dashboard> in Chromium', function () {
  this.timeout(120_000);
  let server: TestServer;
  let browser: Browser;
  let tab: Page;
  let issueRequests: string[];

  before(async () => {
    server = await startWidgetsServer();
    // 120 issues, oldest first, so issue 119 is the most recently seen
    await seed(server, Array.from({ length: 120 }, (_, i) => errorEvent(String(i).padStart(3, '0'))));
    server.app.get('/admin', (req, res) => {
      const token = typeof req.query.token === 'string' ? req.query.token : server.project.secretToken;
      res.type('html').send(hostPage(`<faultline-dashboard base-url="/faultline" project="${server.project.id}" token="${token}"></faultline-dashboard>`));
    });
    browser = await launchChromium();
  });

  beforeEach(async () => {
    tab = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    issueRequests = [];
    tab.on('request', (r) => {
      if (r.url().includes('/issues?')) issueRequests.push(r.url());
    });
  });

  afterEach(async () => {
    await tab?.close();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the first page of issues, then loads further pages only when scrolled to', async () => {
    await tab.goto(`${server.origin}/admin`);
    await tab.locator('vaadin-grid-cell-content', { hasText: 'SeedError119' }).waitFor();
    const firstLoad = issueRequests.filter((u) => !u.includes('limit=100'));
    expect(firstLoad).to.have.length(1);
    expect(firstLoad[0]).to.include('limit=50');
    expect(firstLoad[0]).not.to.include('cursor=');

    await tab.evaluate(() => {
      const list = document.querySelector('faultline-dashboard')!.shadowRoot!.querySelector('faultline-issue-list')!;
      (list.shadowRoot!.querySelector('vaadin-grid') as unknown as { scrollToIndex(i: number): void }).scrollToIndex(115);
    });
    await tab.locator('vaadin-grid-cell-content', { hasText: 'SeedError000' }).waitFor();
    const paged = issueRequests.filter((u) => u.includes('cursor='));
    expect(paged.length).to.be.within(1, 2);
    await tab.screenshot({ path: '/tmp/widgets-list.png' });
  });
});
