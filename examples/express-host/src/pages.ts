import { PRODUCTS, type Product } from './catalog.js';

/** Everything that goes into HTML passes through here. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function layout(title: string, body: string, browserConfig: { dsn: string } | null, options: { wide?: boolean } = {}): string {
  const sdk = browserConfig
    ? `<script src="/static/faultline.browser.min.js"></script>
<script>window.Faultline && Faultline.init(${JSON.stringify({ dsn: browserConfig.dsn, release: 'demo-shop@1.0.0', environment: 'demo' }).replace(/</g, '\\u003c')});</script>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Demo shop</title>
<link rel="stylesheet" href="/static/shop.css">${sdk}</head>
<body><header><a href="/">Demo shop</a> <nav><a href="/">Products</a> <a href="/admin/errors">Errors</a></nav></header>
<main${options.wide ? ' class="wide"' : ''}>${body}</main>
<script src="/static/shop.js"></script></body></html>`;
}

export function homePage(browser: { dsn: string } | null): string {
  const rows = PRODUCTS.map(
    (p: Product) => `<li><a href="/products/${escapeHtml(p.id)}">${escapeHtml(p.name)}</a> — ${
      Number.isFinite(p.priceCents) ? `$${(p.priceCents / 100).toFixed(2)}` : 'price on request'
    }</li>`,
  ).join('');
  return layout(
    'Products',
    `<h1>Products</h1><ul>${rows}</ul>
<h2>Make an error</h2>
<p><a href="/checkout/moon-boots">Check out the moon boots</a> (a server error, reported by the Node SDK).</p>
<p><button id="client-error">Break the page</button> (a browser error, reported by the browser SDK).</p>
<p><button id="client-rejection">Reject a promise</button></p>`,
    browser,
  );
}

export function productPage(product: Product, browser: { dsn: string } | null): string {
  return layout(
    product.name,
    `<h1>${escapeHtml(product.name)}</h1><p>${product.stock} in stock.</p>
<p><a href="/checkout/${escapeHtml(product.id)}">Buy now</a></p>`,
    browser,
  );
}

export function checkoutPage(product: Product, totalCents: number, browser: { dsn: string } | null): string {
  return layout('Checkout', `<h1>Thank you</h1><p>${escapeHtml(product.name)}: $${(totalCents / 100).toFixed(2)} with tax.</p>`, browser);
}

export function errorPage(message: string): string {
  return layout('Error', `<h1>Something went wrong</h1><p>${escapeHtml(message)}</p>`, null);
}
