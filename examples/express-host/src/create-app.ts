import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import type { Faultline } from '@faultline/core';
import { expressErrorHandler } from '@faultline/sdk/node';
import { findProduct, priceWithTax } from './catalog.js';
import { adminPage, widgetsBundlePath } from './admin-page.js';
import { checkoutPage, errorPage, homePage, productPage } from './pages.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const publicDir = path.join(here, '..', 'public');

/** The browser SDK as one script, built by `npm run build` (which `npm start` runs first). */
function browserBundlePath(): string | null {
  const sdkRoot = path.dirname(createRequire(import.meta.url).resolve('@faultline/sdk/package.json'));
  const bundle = path.join(sdkRoot, 'dist', 'faultline.browser.min.js');
  return existsSync(bundle) ? bundle : null;
}

export interface ShopOptions {
  faultline: Faultline;
  projectId: number;
  /** The DSN pages use to report browser errors; null leaves the browser SDK out. */
  browserDsn: string | null;
  /** widgets.js for the admin page; defaults to @faultline/widgets' build, null when it is not built. */
  widgetsBundle?: string | null;
}

/** The demo shop: a few pages, a checkout that fails, and Faultline mounted at /faultline. */
export function createShopApp({ faultline, projectId, browserDsn, widgetsBundle }: ShopOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  const bundle = browserBundlePath();
  const browser = browserDsn && bundle ? { dsn: browserDsn } : null;

  app.use('/faultline', faultline.router());
  app.use('/static', express.static(publicDir));
  if (bundle) app.get('/static/faultline.browser.min.js', (_req, res) => res.sendFile(bundle));
  const widgets = widgetsBundle === undefined ? widgetsBundlePath() : widgetsBundle;
  if (widgets) app.get('/static/widgets.js', (_req, res) => res.sendFile(widgets));

  app.get('/', (_req, res) => {
    res.type('html').send(homePage(browser));
  });
  app.get('/products/:id', (req, res) => {
    const product = findProduct(req.params.id);
    if (!product) return res.status(404).type('html').send(errorPage('No such product'));
    res.type('html').send(productPage(product, browser));
  });
  app.get('/checkout/:id', (req, res) => {
    const product = findProduct(req.params.id);
    if (!product) return res.status(404).type('html').send(errorPage('No such product'));
    // Throws for the moon boots; Express 5 hands the error to the SDK's handler below.
    res.type('html').send(checkoutPage(product, priceWithTax(product, 0.2), browser));
  });
  app.get('/admin/errors', (_req, res) => {
    res.type('html').send(adminPage(projectId, widgets !== null));
  });

  app.use(expressErrorHandler());
  app.use(function shopErrorPage(err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) {
    res.status(500).type('html').send(errorPage('We could not complete that. The error was reported.'));
  });
  return app;
}
