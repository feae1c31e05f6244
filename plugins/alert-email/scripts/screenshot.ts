/**
 * Renders a sample alert with the default templates and takes a screenshot of the HTML in Chromium, for
 * the README: `node --import tsx --conditions=faultline-source plugins/alert-email/scripts/screenshot.ts`.
 * Writes docs/alert-email.png (and the HTML next to it, to open in a mail client's preview).
 */
import { writeFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import type { AlertMessage } from '@faultline/core';
import { emailView, loadTemplates } from '../src/index.js';

const out = new URL('../../../docs/', import.meta.url);

const message: AlertMessage = {
  id: '12:created:345',
  reason: 'issue:created',
  title: "New issue in Checkout: TypeError: Cannot read properties of undefined (reading 'total')",
  text: '',
  level: 'error',
  project: { id: 3, name: 'Checkout', slug: 'checkout' },
  issue: {
    id: '345', projectId: 3, title: "TypeError: Cannot read properties of undefined (reading 'total')", culprit: 'src/cart.js in cartTotal',
    type: 'TypeError', value: "Cannot read properties of undefined (reading 'total') <script>alert(1)</script>", level: 'error', status: 'unresolved',
    count: 128, userCount: 41, firstSeen: '2026-12-01T09:14:03.000Z', lastSeen: '2026-12-01T09:21:47.000Z', release: 'shop@2.1.0',
    environment: 'production', platform: 'node', fingerprint: 'f', groupingVersion: '1',
  },
  url: 'https://app.example.com/admin/errors#/issues/345',
  createdAt: '2026-12-01T09:14:04.000Z',
  rule: { id: '12', name: 'New errors in production' },
  event: {
    eventId: 'e1', environment: 'production', release: 'shop@2.1.0', tags: {},
    message: "Cannot read properties of undefined (reading 'total') <script>alert(1)</script>",
    frames: [
      { filename: 'src/cart.js', function: 'cartTotal', lineno: 17, colno: 23 },
      { filename: 'src/routes/checkout.js', function: 'checkout', lineno: 40, colno: 12 },
      { filename: 'src/server.js', function: 'handleRequest', lineno: 88, colno: 5 },
    ],
  },
};

const templates = await loadTemplates();
const html = templates.html(emailView(message));
await writeFile(new URL('alert-email.html', out), html);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 680, height: 400 }, deviceScaleFactor: 1 });
  await page.setContent(html, { waitUntil: 'load' });
  await page.screenshot({ path: new URL('alert-email.png', out).pathname, fullPage: true });
} finally {
  await browser.close();
}
process.stdout.write(`${JSON.stringify({ png: 'docs/alert-email.png', html: 'docs/alert-email.html' })}\n`);
