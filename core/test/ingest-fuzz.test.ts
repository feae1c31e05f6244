import { expect } from 'chai';
import { startTestServer, type TestServer } from '@faultline/plugin-storage-postgres/testing';
import { errorEvent, postEvents } from './helpers/http.js';
import { sendHostile } from './fuzz/send-hostile.js';

/** The quick mode of `npm run fuzz`: generated hostile payloads on every ingest route, no 5xx, memory bounded. */
describe('ingest: property-based hostile input', function () {
  this.timeout(300_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => server?.stop());

  it('answers 1,000 generated hostile requests without a 5xx, then still ingests', async () => {
    const summary = await sendHostile(server, 1000, Number(process.env.FAULTLINE_FUZZ_SEED) || undefined);
    expect(summary.cases).to.equal(1000);
    expect(Object.keys(summary.statuses).filter((s) => Number(s) >= 500)).to.deep.equal([]);
    // Bodies up to 20 MB (and a 40 MB gzip bomb) pass through; what is kept afterwards must not grow with them.
    expect(summary.rssAfterMb - summary.rssBeforeMb, JSON.stringify(summary)).to.be.below(400);
    const ok = await postEvents(server, errorEvent());
    expect(ok.status).to.equal(202);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).to.equal(200);
  });
});
