/** The widgets plugin: widgets.js at <mount>/widgets.js, cacheable with an ETag, gzipped when asked, within budget. */
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { createFaultline, isFaultlineError } from '@faultline/core';
import type { PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { pino } from 'pino';
import { bundleWidgets } from '../src/build/bundle-widgets.js';
import widgets from '../src/index.js';
import { startWidgetsServer } from './helpers/widgets-server.js';

/** The budget for widgets.js, grid included. */
const BUDGET = 150 * 1024;

describe('widgets plugin (GET <mount>/widgets.js)', function () {
  this.timeout(60_000);
  let server: PostgresTestServer;

  before(async () => {
    server = await startWidgetsServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('is described in <mount>/openapi.json', async () => {
    const doc = await (await fetch(`${server.url}/openapi.json`)).json();
    expect(doc.paths['/widgets.js'].get.responses).to.have.keys('200', '304');
    expect(doc.paths['/widgets.js'].get.security).to.deep.equal([]);
  });

  it('serves the bundle as JavaScript with an ETag and cache headers, and 304 when the ETag matches', async () => {
    const res = await fetch(`${server.url}/widgets.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).to.match(/^public, max-age=\d+, must-revalidate$/);
    const etag = res.headers.get('etag');
    expect(etag).to.match(/^"[A-Za-z0-9_-]{27}"$/);
    const body = await res.text();
    expect(body).to.include('faultline-dashboard');

    const again = await fetch(`${server.url}/widgets.js`, { headers: { 'if-none-match': etag! } });
    expect(again.status).to.equal(304);
    expect(await again.text()).to.equal('');
    const changed = await fetch(`${server.url}/widgets.js`, { headers: { 'if-none-match': '"something-else"' } });
    expect(changed.status).to.equal(200);
    await changed.arrayBuffer();
  });

  it('sends it gzipped to clients that accept gzip, and answers HEAD without a body', async () => {
    const gz = await fetch(`${server.url}/widgets.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).to.equal('gzip');
    expect(gz.headers.get('vary')).to.equal('Accept-Encoding');
    expect(await gz.text()).to.include('faultline-issue-list'); // fetch inflates it
    const head = await fetch(`${server.url}/widgets.js`, { method: 'HEAD' });
    expect(head.status).to.equal(200);
    expect(Number(head.headers.get('content-length'))).to.be.greaterThan(0);
  });

  it('fails start-up with a coded error that says how to build when the bundle is missing', async () => {
    let caught: unknown;
    try {
      await createFaultline({ logger: pino({ level: 'silent' }), start: false, plugins: [widgets({ bundlePath: '/nonexistent/widgets.js' })] });
    } catch (err) {
      caught = err;
    }
    expect(isFaultlineError(caught)).to.equal(true);
    expect(String((caught as Error).message)).to.match(/widgets\.js was not found at \/nonexistent\/widgets\.js.*npm run build -w @faultline\/widgets/);
  });

  it(`keeps widgets.js within ${BUDGET} bytes gzipped`, async () => {
    const { code } = await bundleWidgets();
    const size = gzipSync(code, { level: 9 }).length;
    expect(size, `widgets.js is ${size} bytes gzipped`).to.be.at.most(BUDGET);
  });
});
