/**
 * The shop's admin page in Chromium: the shop's layout around Faultline's dashboard, reading the API with
 * the host's `authorize` (no token on the page), showing an error the shop reported.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser } from 'playwright-core';
import { bundleWidgets } from '@faultline/widgets/build';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { createShopApp } from '../src/create-app.js';

describe('example: express-host admin page (Chromium)', function () {
  this.timeout(90_000);
  let server: PostgresTestServer;
  let shop: Server;
  let shopUrl: string;
  let browser: Browser;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'faultline-shop-widgets-'));
    const widgetsBundle = path.join(dir, 'widgets.js');
    await bundleWidgets({ outfile: widgetsBundle });
    server = await startPostgresTestServer({ authorize: async () => ({ role: 'member', projectIds: null }) });
    const app = createShopApp({ faultline: server.faultline, projectId: server.project.id, publicKey: null, widgetsBundle });
    shop = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
    await server.faultline.ingest(server.project.id, [
      { exception: { values: [{ type: 'RangeError', value: 'Invalid array length', stacktrace: { frames: [{ filename: 'src/catalog.ts', function: 'priceWithTax', lineno: 12, in_app: true }] } }] } },
    ]);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    shop?.closeAllConnections();
    await new Promise((r) => (shop ? shop.close(r) : r(null)));
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("shows the shop's issues in the dashboard inside the shop's layout, and opens one", async () => {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await tab.goto(`${shopUrl}/admin/errors`);
    expect(await tab.locator('header nav').textContent()).to.include('Errors');
    await tab.locator('vaadin-grid-cell-content', { hasText: 'RangeError: Invalid array length' }).click();
    await tab.locator('faultline-issue-detail .function', { hasText: 'priceWithTax' }).waitFor();
    await tab.locator('faultline-live-status[state=live]').waitFor();
    if (process.env.FAULTLINE_SCREENSHOTS) await tab.screenshot({ path: path.join(process.env.FAULTLINE_SCREENSHOTS, 'express-host-admin.png') });
  });
});
