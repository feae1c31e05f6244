import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { buildDsn, type Faultline } from '@faultline/core';
import { expressErrorHandler } from '@faultline/sdk/node';
import { findProduct, priceWithTax } from './catalog.js';
import { adminPage, widgetsBundlePath } from './admin-page.js';
import { checkoutPage, errorPage, homePage, productPage } from './pages.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const publicDir = path.join(here, '..', 'public');

/** The browser SDK as one script, built by `npm run build` (which `npm start` runs first); without it the pages' `window.Faultline &&` guard leaves the SDK out. */
function browserBundlePath(): string | null {
  const sdkRoot = path.dirname(createRequire(import.meta.url).resolve('@faultline/sdk/package.json'));
  const bundle = path.join(sdkRoot, 'dist', 'faultline.browser.min.js');
  return existsSync(bundle) ? bundle : null;
}

export interface ShopOptions {
  faultline: Faultline;
  projectId: number;
  /** The key pages use to report browser errors; null leaves the browser SDK out. */
  publicKey: string | null;
  /** Where Faultline is mounted (default /faultline). */
  mountPath?: string;
  /** Faultline's URL as browsers reach it; default: the host and scheme each page was asked for. */
  publicUrl?: string;
  /** widgets.js for the admin page; defaults to @faultline/widgets' build, null when it is not built. */
  widgetsBundle?: string | null;
}

/** The demo shop: a few pages, a checkout that fails, and Faultline mounted at /faultline. */
export function createShopApp({ faultline, projectId, publicKey, mountPath = '/faultline', publicUrl, widgetsBundle }: ShopOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  const bundle = browserBundlePath();
  // A visitor from another machine must report to this server, not to their own 127.0.0.1.
  const browserFor = (req: express.Request) =>
    publicKey ? { dsn: buildDsn(publicUrl ?? `${req.protocol}://${req.get('host')}${mountPath}`, publicKey, projectId) } : null;

  app.use(mountPath, faultline.router());
  app.use('/static', express.static(publicDir));
  if (bundle) app.get('/static/faultline.browser.min.js', (_req, res) => res.sendFile(bundle));
  const widgets = widgetsBundle === undefined ? widgetsBundlePath() : widgetsBundle;
  if (widgets) app.get('/static/widgets.js', (_req, res) => res.sendFile(widgets));

  app.get('/', (req, res) => {
    res.type('html').send(homePage(browserFor(req)));
  });
  app.get('/products/:id', (req, res) => {
    const product = findProduct(req.params.id);
    if (!product) return res.status(404).type('html').send(errorPage('No such product'));
    res.type('html').send(productPage(product, browserFor(req)));
  });
  app.get('/checkout/:id', (req, res) => {
    const product = findProduct(req.params.id);
    if (!product) return res.status(404).type('html').send(errorPage('No such product'));
    // Throws for the moon boots; Express 5 hands the error to the SDK's handler below.
    res.type('html').send(checkoutPage(product, priceWithTax(product, 0.2), browserFor(req)));
  });
  app.get('/admin/errors', (_req, res) => {
    res.type('html').send(adminPage(projectId, mountPath, widgets !== null));
  });

  app.use(expressErrorHandler());
  app.use(function shopErrorPage(err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) {
    res.status(500).type('html').send(errorPage('We could not complete that. The error was reported.'));
  });
  return app;
}
