/**
 * The dashboard in real Chromium, against a real Faultline with seeded issues: lazy paging, search,
 * the issue page, status changes, live updates, and the error state.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { launchChromium } from './helpers/browser.js';
import { errorEvent, seed } from './helpers/seed.js';
import { hostPage, startWidgetsServer } from './helpers/widgets-server.js';
import { waitUntil } from './helpers/wait.js';

describe('<faultline-dashboard> in Chromium', function () {
  this.timeout(120_000);
  let server: PostgresTestServer;
  let browser: Browser;
  let tab: Page;
  let issueRequests: string[];
  let issueAnswers: string[];

  before(async () => {
    server = await startWidgetsServer();
    // 120 issues, oldest first, so issue 119 is the most recently seen
    await seed(server, Array.from({ length: 120 }, (_, i) => errorEvent(String(i).padStart(3, '0'))));
    server.app.get('/host-routed', (_req, res) => {
      res.type('html').send(
        hostPage(`<faultline-dashboard route="/" base-url="/faultline" project="${server.project.id}" token="${server.project.secretToken}"></faultline-dashboard>
<script>document.addEventListener('faultline-route-change', (e) => { window.routes = (window.routes || []).concat(e.detail.route); });</script>`),
      );
    });
    server.app.get('/admin', (req, res) => {
      const token = typeof req.query.token === 'string' ? req.query.token : server.project.secretToken;
      res.type('html').send(hostPage(`<faultline-dashboard base-url="/faultline" project="${server.project.id}" token="${token}"></faultline-dashboard>`));
    });
    browser = await launchChromium();
  });

  beforeEach(async () => {
    tab = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    issueRequests = [];
    issueAnswers = [];
    tab.on('request', (r) => {
      if (r.url().includes('/issues?')) issueRequests.push(r.url());
    });
    tab.on('requestfinished', (r) => {
      if (r.url().includes('/issues?')) issueAnswers.push(r.url());
    });
  });

  afterEach(async () => {
    await tab?.close();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('asks for the first page of issues first, then counts the list, and nothing more', async () => {
    await tab.goto(`${server.origin}/admin`);
    await tab.locator('vaadin-grid-cell-content', { hasText: 'SeedError119' }).waitFor();
    const firstLoad = issueRequests.filter((u) => !u.includes('limit=100'));
    // The first page, then the count on its own (so the first rows do not wait for it).
    expect(firstLoad).to.have.length(2);
    expect(firstLoad[0]).to.include('offset=0').and.include('limit=50').and.not.include('total=');
    expect(firstLoad[1]).to.include('limit=1&').and.include('total=true');
  });

  it('jumps far into the list: fetches the page it lands on by offset, and shows the right rows', async () => {
    await tab.goto(`${server.origin}/admin`);
    await tab.locator('vaadin-grid-cell-content', { hasText: 'SeedError119' }).waitFor();
    await waitUntil(async () => issueAnswers.filter((u) => u.includes('total=true')).length, (n) => n === 1);
    // The grid knows the list's length from the count: it can scroll to the end at once.
    await tab.evaluate(() => {
      const list = document.querySelector('faultline-dashboard')!.shadowRoot!.querySelector('faultline-issue-list')!;
      (list.shadowRoot!.querySelector('vaadin-grid') as unknown as { scrollToIndex(i: number): void }).scrollToIndex(112);
    });
    // Last seen, newest first: row i is SeedError(119 - i).
    await tab.locator('vaadin-grid-cell-content', { hasText: 'SeedError007' }).waitFor();
    const rows = await tab.evaluate(() => {
      const list = document.querySelector('faultline-dashboard')!.shadowRoot!.querySelector('faultline-issue-list')!;
      const grid = list.shadowRoot!.querySelector('vaadin-grid')!;
      return [...grid.querySelectorAll('vaadin-grid-cell-content')]
        .map((c) => ({ row: (c.assignedSlot?.parentElement?.parentElement as unknown as { index: number } | null)?.index, title: c.querySelector('.title')?.textContent }))
        .filter((r): r is { row: number; title: string } => typeof r.title === 'string' && typeof r.row === 'number' && r.row >= 100);
    });
    expect(rows.length).to.be.greaterThan(5);
    for (const { row, title } of rows) expect(title.split(':')[0], `row ${row}`).to.equal(`SeedError${String(119 - row).padStart(3, '0')}`);
    const later = issueRequests.filter((u) => !u.includes('limit=100') && !u.includes('offset=0'));
    expect(later.some((u) => u.includes('offset=100'))).to.equal(true);
    expect(later.filter((u) => u.includes('cursor='))).to.deep.equal([]);
  });

  it('narrows the list to what the search bar asks for', async () => {
    await tab.goto(`${server.origin}/admin`);
    await tab.locator('vaadin-grid-cell-content', { hasText: 'SeedError119' }).waitFor();
    await tab.getByRole('combobox', { name: 'Search issues' }).fill('"failure number 042"');
    await tab.getByRole('combobox', { name: 'Search issues' }).press('Enter');
    await tab.locator('vaadin-grid-cell-content', { hasText: 'SeedError042' }).waitFor();
    await waitUntil(() => tab.locator('vaadin-grid-cell-content', { hasText: 'SeedError119' }).count(), (n) => n === 0);
    expect(await tab.locator('vaadin-grid-cell-content', { hasText: /SeedError\d+/ }).filter({ visible: true }).count()).to.equal(1);
    expect(issueRequests.at(-1)).to.include('query=is%3Aunresolved+%22failure+number+042%22');

    await tab.getByRole('combobox', { name: 'Search issues' }).fill('no such words anywhere');
    await tab.getByRole('combobox', { name: 'Search issues' }).press('Enter');
    await tab.getByRole('status').filter({ hasText: 'No issues match this search.' }).waitFor();
  });

  it('sorts by the chosen column through the API', async () => {
    await seed(server, [errorEvent('001'), errorEvent('001'), errorEvent('001')]); // issue 001 now has 4 events
    await tab.goto(`${server.origin}/admin`);
    await tab.locator('vaadin-grid-cell-content', { hasText: 'SeedError001' }).waitFor();
    await tab.getByRole('combobox', { name: 'Sort by' }).selectOption('count');
    await waitUntil(async () => issueRequests.at(-1) ?? '', (url) => url.includes('sort=count'));
    await waitUntil(() => topTitle(tab), (title) => title.startsWith('SeedError001'));
  });

  it("opens an issue on click: its stack trace (in-app frame with source context) and breadcrumbs", async () => {
    await tab.goto(`${server.origin}/admin`);
    await tab.locator('vaadin-grid-cell-content', { hasText: 'SeedError118' }).click();
    await tab.waitForURL(/#\/issues\/\d+$/);
    await tab.getByRole('heading', { name: /SeedError118: seeded failure number 118/ }).waitFor();
    const detail = tab.locator('faultline-issue-detail');
    await detail.locator('.exception-type', { hasText: 'SeedError118' }).waitFor();
    expect(await detail.locator('.frames.in-app .function').allTextContents()).to.deep.equal(['chargeCard']);
    expect(await detail.locator('.line.current').textContent()).to.include("throw new Error('card declined');");
    expect(await detail.locator('details.library').getAttribute('open')).to.equal(null);
    expect(await detail.locator('.crumb-message').allTextContents()).to.deep.equal(['clicked buy button 118']);
    expect(await detail.locator('a.request-url').getAttribute('href')).to.equal('https://shop.example/checkout/118');
    await tab.screenshot({ path: '/tmp/widgets-issue.png', fullPage: true });
  });

  it('can be used from the keyboard: arrows move through the rows and Enter opens the focused issue', async () => {
    await tab.goto(`${server.origin}/admin`);
    await tab.locator('vaadin-grid-cell-content', { hasText: 'SeedError119' }).waitFor();
    const third = (await rowTitles(tab))[2];
    await tab.getByRole('combobox', { name: 'Sort by' }).focus();
    await tab.keyboard.press('Tab'); // the grid's header row
    await tab.keyboard.press('Tab'); // its first row
    await tab.keyboard.press('ArrowDown');
    await tab.keyboard.press('ArrowDown');
    await tab.keyboard.press('Enter');
    await tab.getByRole('heading', { name: third }).waitFor();
    expect(tab.url()).to.match(/#\/issues\/\d+$/);
  });

  it('leaves routing to a host that sets `route`: it asks with faultline-route-change and shows what the host sets', async () => {
    await tab.goto(`${server.origin}/host-routed`);
    await tab.locator('vaadin-grid-cell-content', { hasText: 'SeedError115' }).click();
    await waitUntil(() => tab.evaluate('window.routes || []') as Promise<string[]>, (routes) => routes.length === 1);
    const [route] = (await tab.evaluate('window.routes')) as string[];
    expect(route).to.match(/^\/issues\/\d+$/);
    expect(new URL(tab.url()).hash).to.equal('');
    await tab.evaluate((route) => document.querySelector('faultline-dashboard')!.setAttribute('route', route), route);
    await tab.getByRole('heading', { name: /SeedError115: seeded failure number 115/ }).waitFor();
  });

  it('resolves selected issues in bulk and the list no longer shows them', async () => {
    await tab.goto(`${server.origin}/admin`);
    const changes: unknown[] = [];
    await tab.exposeFunction('statusChanged', (detail: unknown) => changes.push(detail));
    await tab.evaluate(() =>
      document.addEventListener('faultline-status-change', (e) => (window as unknown as { statusChanged(d: unknown): void }).statusChanged((e as CustomEvent).detail)),
    );
    for (const n of ['117', '116']) {
      await tab.locator('vaadin-grid-cell-content', { hasText: `SeedError${n}` }).waitFor();
      const row = await tab.evaluate((text) => {
        const list = document.querySelector('faultline-dashboard')!.shadowRoot!.querySelector('faultline-issue-list')!;
        const cells = [...list.shadowRoot!.querySelectorAll('vaadin-grid-cell-content')];
        return cells.findIndex((c) => c.textContent!.includes(text));
      }, `SeedError${n}`);
      expect(row).to.be.greaterThan(-1);
    }
    await selectRow(tab, 'SeedError117');
    await selectRow(tab, 'SeedError116');
    await tab.getByRole('group', { name: 'Bulk actions' }).getByRole('button', { name: 'Resolve' }).click();
    await waitUntil(() => tab.locator('vaadin-grid-cell-content', { hasText: /SeedError11[67]/ }).count(), (n) => n === 0);
    expect(changes).to.have.length(1);
    expect((changes[0] as { status: string; issues: unknown[] }).status).to.equal('resolved');
    expect((changes[0] as { issues: unknown[] }).issues).to.have.length(2);

    await tab.getByRole('tab', { name: 'Resolved', exact: true }).click();
    await tab.locator('vaadin-grid-cell-content', { hasText: 'SeedError117' }).waitFor();
    await tab.locator('vaadin-grid-cell-content', { hasText: 'SeedError116' }).waitFor();
  });

  it('shows an event ingested while the page is open without a reload, and says it is live', async () => {
    await tab.goto(`${server.origin}/admin`);
    await tab.locator('vaadin-grid-cell-content', { hasText: 'SeedError119' }).waitFor();
    await tab.locator('faultline-live-status[state=live]').waitFor();
    await tab.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    await seed(server, [errorEvent('live-1', { exception: { values: [{ type: 'LiveError', value: 'arrived while watching' }] } })]);
    await tab.locator('vaadin-grid-cell-content', { hasText: 'LiveError: arrived while watching' }).waitFor({ timeout: 5000 });
    expect(await tab.evaluate(() => (window as unknown as { marker?: number }).marker)).to.equal(1);
  });

  it("shows the server's message when the API refuses (a bad token)", async () => {
    await tab.goto(`${server.origin}/admin?token=flt_not_a_real_token`);
    const alert = tab.locator('faultline-issue-list').getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).to.match(/Error 401.*Invalid key or token/s);
    await tab.locator('faultline-live-status[state=offline]').waitFor();
  });
});


/** Ticks the selection checkbox of the row whose issue cell has `text`. */
async function selectRow(tab: Page, text: string): Promise<void> {
  await tab.evaluate((text) => {
    const list = document.querySelector('faultline-dashboard')!.shadowRoot!.querySelector('faultline-issue-list')!;
    const grid = list.shadowRoot!.querySelector('vaadin-grid') as unknown as HTMLElement & { selectItem(item: unknown): void };
    const cell = [...list.shadowRoot!.querySelectorAll('vaadin-grid-cell-content')].find((c) => c.textContent!.includes(text))!;
    const row = (cell.assignedSlot!.parentElement as HTMLElement).parentElement as HTMLElement & { _item: unknown };
    grid.selectItem(row._item);
  }, text);
}

/** The titles of the rows on screen, top to bottom (cells are reused, so their DOM order is not the rows'). */
async function rowTitles(tab: Page): Promise<string[]> {
  const rows: Array<{ y: number; text: string }> = [];
  for (const title of await tab.locator('vaadin-grid-cell-content .title').filter({ visible: true }).all()) {
    const box = await title.boundingBox();
    if (box) rows.push({ y: box.y, text: (await title.textContent()) ?? '' });
  }
  return rows.sort((a, b) => a.y - b.y).map((r) => r.text);
}

async function topTitle(tab: Page): Promise<string> {
  return (await rowTitles(tab))[0] ?? '';
}
