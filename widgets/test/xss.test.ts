/**
 * Hostile events in real Chromium: script and markup in every field an event can carry show as text on
 * the list and the issue page, run nothing, and a `javascript:` request URL is not made a link.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { launchChromium } from './helpers/browser.js';
import { errorEvent, seed } from './helpers/seed.js';
import { hostPage, startWidgetsServer } from './helpers/widgets-server.js';

const IMG = '<img src=x onerror="window.__xss=(window.__xss||0)+1">';
const SCRIPT = '<script>window.__xss=(window.__xss||0)+1</script>';
const SVG = '<svg onload="window.__xss=(window.__xss||0)+1"></svg>';

function hostileEvent(): Record<string, unknown> {
  return errorEvent('xss', {
    message: `message ${SCRIPT}`,
    tags: { [`tag ${IMG}`]: `value ${SVG}` },
    user: { id: `id ${IMG}`, email: `${SCRIPT}@example.com`, username: SVG },
    request: { method: 'GET', url: 'javascript:window.__xss=(window.__xss||0)+1', headers: { 'x-evil': IMG } },
    contexts: { [`ctx ${SVG}`]: { [`key ${IMG}`]: `v ${SCRIPT}` } },
    breadcrumbs: [{ timestamp: new Date().toISOString(), category: `cat ${IMG}`, message: `crumb ${SCRIPT}`, data: { html: SVG } }],
    exception: {
      values: [
        {
          type: `Type${IMG}`,
          value: `value ${SCRIPT}`,
          stacktrace: {
            frames: [
              {
                filename: `file${SVG}.js`,
                function: `fn${IMG}`,
                lineno: 3,
                in_app: true,
                pre_context: [SCRIPT],
                context_line: `ctx ${IMG}`,
                post_context: [SVG],
              },
            ],
          },
        },
      ],
    },
  });
}

describe('widgets render hostile event text as text (Chromium)', function () {
  this.timeout(120_000);
  let server: PostgresTestServer;
  let browser: Browser;
  let tab: Page;

  before(async () => {
    server = await startWidgetsServer();
    await seed(server, [hostileEvent()]);
    server.app.get('/admin', (_req, res) => {
      res.type('html').send(hostPage(`<faultline-dashboard base-url="/faultline" project="${server.project.id}" token="${server.project.secretToken}"></faultline-dashboard>`));
    });
    browser = await launchChromium();
    tab = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Elements of a kind anywhere on the page, shadow roots included. */
  function countDeep(tab: Page, selector: string): Promise<number> {
    return tab.evaluate((selector) => {
      // a loop, not a named helper: the test's transpiler would wrap a named function in a helper the page lacks
      let n = 0;
      const roots: Array<Document | ShadowRoot> = [document];
      for (let root = roots.pop(); root; root = roots.pop()) {
        n += root.querySelectorAll(selector).length;
        for (const el of root.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
      }
      return n;
    }, selector);
  }

  it('shows the payloads literally in the list and on the issue page, and none of them runs', async () => {
    const dialogs: string[] = [];
    tab.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await tab.goto(`${server.origin}/admin`);
    const title = tab.locator('vaadin-grid-cell-content .title', { hasText: 'Type<img src=x' });
    await title.waitFor();
    expect(await title.textContent()).to.include(`Type${IMG}`);

    await title.click();
    const detail = tab.locator('faultline-issue-detail');
    await detail.locator('.exception-type').waitFor();
    expect(await detail.locator('.exception-type').textContent()).to.equal(`Type${IMG}`);
    expect(await detail.locator('.exception-value').textContent()).to.equal(`value ${SCRIPT}`);
    expect(await detail.locator('.function').first().textContent()).to.equal(`fn${IMG}`);
    expect(await detail.locator('.filename').first().textContent()).to.equal(`file${SVG}.js`);
    expect(await detail.locator('.line.current').textContent()).to.include(`ctx ${IMG}`);
    expect(await detail.locator('.crumb-message').textContent()).to.equal(`crumb ${SCRIPT}`);
    expect(await detail.locator('.category').textContent()).to.equal(`cat ${IMG}`);
    expect(await detail.locator('.message').textContent()).to.equal(`message ${SCRIPT}`);
    const tagsAndUser = await detail.locator('aside').textContent();
    for (const text of [`tag ${IMG}`, `value ${SVG}`, `id ${IMG}`, `${SCRIPT}@example.com`]) expect(tagsAndUser).to.include(text);
    const summary = detail.locator('[part~=tag-summary]');
    await summary.locator('.tag-key', { hasText: `tag ${IMG}` }).waitFor();
    expect(await summary.locator('.tag-value-text', { hasText: `value ${SVG}` }).textContent()).to.equal(`value ${SVG}`);

    // nothing ran, nothing became markup, and the javascript: URL is text, not a link
    expect(await tab.evaluate(() => (window as unknown as { __xss?: number }).__xss)).to.equal(undefined);
    expect(dialogs).to.deep.equal([]);
    expect(await countDeep(tab, 'faultline-issue-detail .frame, .frame')).to.equal(1); // the walk does reach shadow roots
    expect(await countDeep(tab, 'img, svg[onload], script:not([src])')).to.equal(0);
    expect(await detail.locator('a.request-url').count()).to.equal(0);
    expect(await detail.locator('.request-url').textContent()).to.equal('javascript:window.__xss=(window.__xss||0)+1');
  });
});
