/**
 * `npm run screenshots -w @faultline/widgets`: the dashboard (light and dark) and an issue page, against a
 * throwaway Faultline with a demo shop's errors, written to docs/ for the README.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startPostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { bundleWidgets } from '../src/build/bundle-widgets.js';
import widgets from '../src/index.js';

const docs = fileURLToPath(new URL('../../docs/', import.meta.url));

function frames(fn: string, file: string, line: number) {
  return [
    { filename: 'node_modules/express/lib/router/layer.js', function: 'Layer.handle', lineno: 152, in_app: false },
    { filename: 'node_modules/express/lib/router/route.js', function: 'Route.dispatch', lineno: 119, in_app: false },
    { filename: 'src/routes/checkout.ts', function: 'postCheckout', lineno: 31, in_app: true, pre_context: ['router.post("/checkout", async (req, res) => {', '  const cart = await carts.load(req.session.cartId);'], context_line: '  const total = priceWithTax(cart.items, req.body.region);', post_context: ['  res.render("thanks", { total });', '});'] },
    { filename: file, function: fn, lineno: line, in_app: true, pre_context: ['export function priceWithTax(items, region) {', '  const rate = TAX_RATES[region];'], context_line: '  return items.reduce((sum, item) => sum + item.price * (1 + rate.percent / 100), 0);', post_context: ['}', ''] },
  ];
}

const ISSUES = [
  { n: 40, level: 'error', type: 'TypeError', value: "Cannot read properties of undefined (reading 'percent')", fn: 'priceWithTax', file: 'src/catalog.ts', line: 14 },
  { n: 12, level: 'fatal', type: 'Error', value: 'connect ECONNREFUSED 10.0.3.7:6379', fn: 'RedisClient.connect', file: 'src/cache.ts', line: 22 },
  { n: 7, level: 'error', type: 'RangeError', value: 'Invalid array length', fn: 'paginate', file: 'src/search/paginate.ts', line: 9 },
  { n: 25, level: 'warning', type: 'SlowPaymentProvider', value: 'Stripe answered after 4.2 s', fn: 'charge', file: 'src/payments/stripe.ts', line: 57 },
  { n: 3, level: 'error', type: 'SyntaxError', value: 'Unexpected token < in JSON at position 0', fn: 'loadRecommendations', file: 'src/recommendations.ts', line: 33 },
  { n: 2, level: 'info', type: 'DeprecationWarning', value: 'Buffer() is deprecated', fn: 'legacyHash', file: 'src/legacy/hash.ts', line: 4 },
];

const BROWSERS = ['Firefox 128', 'Chrome 126', 'Chrome 126', 'Safari 17.5', 'Edge 126'];

const dir = await mkdtemp(path.join(tmpdir(), 'faultline-shots-'));
const bundlePath = path.join(dir, 'widgets.js');
await bundleWidgets({ outfile: bundlePath });
const server = await startPostgresTestServer({ plugins: [widgets({ bundlePath })] });
try {
  for (const [i, issue] of ISSUES.entries()) {
    for (let k = 0; k < issue.n; k++) {
      await server.faultline.ingest(server.project.id, [
        {
          level: issue.level,
          release: `shop@1.4.${k % 3}`,
          environment: 'production',
          server_name: 'web-2',
          tags: { route: 'POST /checkout', browser: BROWSERS[(k * k) % BROWSERS.length], region: k % 4 === 0 ? 'us-east' : 'eu-west' },
          user: { id: `u${(k * 7) % 13}`, email: `buyer${(k * 7) % 13}@example.com` },
          request: { method: 'POST', url: 'https://shop.example/checkout', headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Firefox/128.0' } },
          contexts: { runtime: { name: 'node', version: '20.20.2' }, os: { name: 'Linux' } },
          sdk: { name: 'faultline.javascript.node', version: '0.1.0' },
          exception: { values: [{ type: issue.type, value: issue.value, mechanism: { type: 'onunhandledrejection', handled: false }, stacktrace: { frames: frames(issue.fn, issue.file, issue.line) } }] },
          breadcrumbs: [
            { timestamp: new Date(Date.now() - 9000).toISOString(), category: 'navigation', message: '/cart → /checkout', level: 'info' },
            { timestamp: new Date(Date.now() - 4000).toISOString(), category: 'http', message: 'POST /api/cart/validate 200', level: 'info', data: { duration_ms: 83 } },
            { timestamp: new Date(Date.now() - 1000).toISOString(), category: 'ui.click', message: 'button#pay "Pay now"', level: 'info' },
            { timestamp: new Date().toISOString(), category: 'console', message: `${issue.type}: ${issue.value}`, level: 'error' },
          ],
          fingerprint: [`shot-${i}`],
        },
      ]);
    }
  }
  server.app.get('/', (_req, res) => {
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Faultline</title>
<script src="/faultline/widgets.js"></script>
<style>body{margin:0;padding:20px 24px;font-family:system-ui,sans-serif}@media (prefers-color-scheme: dark){body{background:#0d1117}}</style></head>
<body><faultline-dashboard base-url="/faultline" project="${server.project.id}" token="${server.project.secretToken}"></faultline-dashboard></body></html>`);
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    for (const scheme of ['light', 'dark'] as const) {
      const tab = await browser.newPage({ viewport: { width: 1200, height: 640 }, colorScheme: scheme });
      await tab.goto(`${server.origin}/`);
      await tab.locator('vaadin-grid-cell-content', { hasText: 'TypeError' }).waitFor();
      await tab.locator('faultline-live-status[state=live]').waitFor();
      // Every row's sparkline drawn (they load after the rows, a few at a time).
      while ((await tab.locator('vaadin-grid-cell-content svg.sparkline').count()) < ISSUES.length) await tab.waitForTimeout(50);
      await tab.screenshot({ path: path.join(docs, `widgets-dashboard-${scheme}.png`) });
      if (scheme === 'light') {
        await tab.setViewportSize({ width: 1200, height: 1240 });
        await tab.locator('vaadin-grid-cell-content', { hasText: 'TypeError' }).click();
        await tab.locator('faultline-issue-detail .crumb').first().waitFor();
        await tab.locator('faultline-issue-detail .tag').first().waitFor();
        await tab.screenshot({ path: path.join(docs, 'widgets-issue.png') });
      }
      await tab.close();
    }
  } finally {
    await browser.close();
  }
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
