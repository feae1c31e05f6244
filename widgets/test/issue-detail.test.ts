/**
 * The issue page in real Chromium: the tag summary of the issue's events, and paging through its
 * events newest, older, newer and oldest with the buttons disabled at the ends.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { launchChromium } from './helpers/browser.js';
import { errorEvent, seed } from './helpers/seed.js';
import { hostPage, startWidgetsServer } from './helpers/widgets-server.js';
import { waitUntil } from './helpers/wait.js';

describe('<faultline-issue-detail> in Chromium', function () {
  this.timeout(120_000);
  let server: PostgresTestServer;
  let browser: Browser;
  let tab: Page;
  let issueId: string;
  const BROWSERS = ['Chrome', 'Chrome', 'Chrome', 'Firefox'];

  before(async () => {
    server = await startWidgetsServer();
    // One issue, four events in this order (oldest first), each naming itself in its breadcrumb.
    await seed(
      server,
      BROWSERS.map((name, i) =>
        errorEvent('paged', {
          tags: { browser: name },
          breadcrumbs: [{ timestamp: new Date().toISOString(), category: 'ui.click', message: `event number ${i}`, level: 'info' }],
        }),
      ),
    );
    const list = await fetch(`${server.url}/api/v1/projects/${server.project.id}/issues`, { headers: { authorization: `Bearer ${server.project.secretToken}` } });
    issueId = ((await list.json()) as { data: { id: string }[] }).data[0].id;
    server.app.get('/issue', (_req, res) => {
      res.type('html').send(hostPage(`<faultline-issue-detail base-url="/faultline" token="${server.project.secretToken}" issue="${issueId}"></faultline-issue-detail>`));
    });
    browser = await launchChromium();
  });

  beforeEach(async () => {
    tab = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  });
  afterEach(async () => tab?.close());
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('summarizes the issue’s tags: each key with its top values, counts and shares written out', async () => {
    await tab.goto(`${server.origin}/issue`);
    const summary = tab.locator('faultline-issue-detail [part~=tag-summary]');
    await summary.getByRole('heading', { name: 'Tag summary' }).waitFor();
    const browserTag = summary.locator('.tag', { has: tab.locator('.tag-key', { hasText: /^browser$/ }) });
    await browserTag.waitFor();
    expect(await browserTag.locator('.tag-value-text').allTextContents()).to.deep.equal(['Chrome', 'Firefox']);
    expect(await browserTag.locator('.tag-value-count').allTextContents()).to.deep.equal(['3 · 75%', '1 · 25%']);
    expect(await browserTag.locator('ul').getAttribute('aria-label')).to.equal('Top values of browser');
    expect(await browserTag.getByRole('listitem').count()).to.equal(2);
    expect(await summary.locator('.tag-key', { hasText: /^level$/ }).count()).to.equal(1);
  });

  it('pages through the events: newest, older, newer, oldest, with the buttons disabled at the ends', async () => {
    await tab.goto(`${server.origin}/issue`);
    const detail = tab.locator('faultline-issue-detail');
    const shown = () => detail.locator('.crumb-message').textContent();
    const button = (name: string) => detail.getByRole('navigation', { name: 'Events of this issue' }).getByRole('button', { name, exact: true });
    const enabled = async () => {
      const state: Record<string, boolean> = {};
      for (const name of ['Newest', 'Newer', 'Older', 'Oldest']) state[name] = await button(name).isEnabled();
      return state;
    };
    const see = (text: string) => waitUntil(shown, (t) => t === text);

    await see('event number 3');
    expect(await enabled()).to.deep.equal({ Newest: false, Newer: false, Older: true, Oldest: true });
    await button('Older').click();
    await see('event number 2');
    expect(await enabled()).to.deep.equal({ Newest: true, Newer: true, Older: true, Oldest: true });
    await button('Oldest').click();
    await see('event number 0');
    expect(await enabled()).to.deep.equal({ Newest: true, Newer: true, Older: false, Oldest: false });
    expect(await detail.locator('.event-position').textContent()).to.match(/^Oldest event/);
    await button('Newer').click();
    await see('event number 1');
    await button('Newer').click();
    await see('event number 2');
    await button('Older').click();
    await see('event number 1');
    await button('Newest').click();
    await see('event number 3');
    expect(await detail.locator('.event-position').textContent()).to.match(/^Newest event/);
  });
});
