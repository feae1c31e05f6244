/** The React host built as `npm run build` builds it, against a real Faultline, in Chromium. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { chromium, type Browser } from 'playwright-core';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { bundleApp } from '../src/bundle-app.js';

const indexHtml = fileURLToPath(new URL('../index.html', import.meta.url));

describe('example: react-host (Chromium)', function () {
  this.timeout(90_000);
  let server: PostgresTestServer;
  let browser: Browser;

  before(async () => {
    const app = await bundleApp();
    server = await startPostgresTestServer();
    const html = (await readFile(indexHtml, 'utf8')).replace('data-project="1"', `data-project="${server.project.id}"`).replace('flt_your_token_here', server.project.secretToken);
    server.app.get('/', (_req, res) => void res.type('html').send(html));
    server.app.get('/dist/app.js', (_req, res) => void res.type('text/javascript').send(app));
    await server.faultline.ingest(server.project.id, [
      { exception: { values: [{ type: 'ReactHostError', value: 'rendered by React', stacktrace: { frames: [{ filename: 'src/app.tsx', function: 'App', lineno: 3, in_app: true }] } }] } },
    ]);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("renders the elements inside React, passes their events to React's state, and resolves through them", async () => {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await tab.goto(`${server.origin}/`);
    await tab.locator('vaadin-grid-cell-content', { hasText: 'ReactHostError: rendered by React' }).click();
    await tab.getByTestId('selected').filter({ hasText: 'Open: ReactHostError: rendered by React' }).waitFor();
    await tab.locator('faultline-issue-detail .function', { hasText: 'App' }).waitFor();
    await tab.locator('faultline-issue-detail').getByRole('button', { name: 'Resolve' }).click();
    await tab.getByTestId('changes').getByText('1 resolved').waitFor();
    expect(await tab.locator('faultline-issue-detail .status').textContent()).to.equal('Resolved');
  });
});
