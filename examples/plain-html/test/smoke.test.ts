/** The plain HTML example as written, served next to a real Faultline with the widgets plugin, in Chromium. */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { chromium, type Browser } from 'playwright-core';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import widgets from '@faultline/widgets';
import { bundleWidgets } from '@faultline/widgets/build';

const indexHtml = fileURLToPath(new URL('../index.html', import.meta.url));

describe('example: plain-html (Chromium)', function () {
  this.timeout(90_000);
  let server: PostgresTestServer;
  let browser: Browser;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'faultline-plain-html-'));
    const bundlePath = path.join(dir, 'widgets.js');
    await bundleWidgets({ outfile: bundlePath });
    server = await startPostgresTestServer({ plugins: [widgets({ bundlePath })] });
    // the file as a user edits it: their project id and token in the two attributes
    const html = (await readFile(indexHtml, 'utf8')).replace('project="1"', `project="${server.project.id}"`).replace('flt_your_token_here', server.project.secretToken);
    server.app.get('/', (_req, res) => void res.type('html').send(html));
    await server.faultline.ingest(server.project.id, [{ message: 'Plain page smoke test', level: 'warning' }]);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('has exactly one script tag and shows the project issues live', async () => {
    const html = await readFile(indexHtml, 'utf8');
    expect(html.match(/<script\b/g)).to.have.length(1);
    const tab = await browser.newPage();
    await tab.goto(`${server.origin}/`);
    await tab.locator('vaadin-grid-cell-content', { hasText: 'Plain page smoke test' }).waitFor();
    await tab.locator('faultline-live-status[state=live]').waitFor();
  });
});
