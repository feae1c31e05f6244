import { expect } from 'chai';
import { startPostgresTestServer as startTestServer } from '@faultline/plugin-storage-postgres/testing';
import { resolveConfig } from '../src/resolve-config.js';
import { errorEvent, postEvents } from './helpers/http.js';
import { eventually } from './sentry-helpers.js';

describe('notify hooks are bounded by a timeout', function () {
  this.timeout(30_000);

  it('stop() does not wait on a handler that never answers; the handler is logged and counted as timed out', async () => {
    const server = await startTestServer({ notifyTimeoutMs: 50 });
    let stopped = false;
    try {
      let aborted = false;
      server.faultline.hooks.tap('event:stored', (_value, { signal }) => new Promise<void>(() => signal.addEventListener('abort', () => (aborted = true))));
      expect((await postEvents(server, errorEvent())).status).to.equal(202);
      const metrics = () => fetch(`${server.url}/metrics`).then((r) => r.text());
      await eventually(async () => (await metrics()).includes('faultline_hook_failures_total{hook="event:stored",plugin="host"} 1'), 'the timeout to be counted');
      expect(aborted, "the handler's signal is aborted").to.equal(true);
      expect((await postEvents(server, errorEvent())).status).to.equal(202);
      await server.stop(); // would hang on the second, still pending handler without the timeout
      stopped = true;
    } finally {
      if (!stopped) await server.stop();
    }
  });

  it('takes notifyTimeoutMs or FAULTLINE_NOTIFY_TIMEOUT_MS, and refuses what is not a positive whole number', () => {
    expect(resolveConfig({}, {}).notifyTimeoutMs).to.equal(10_000);
    expect(resolveConfig({}, { FAULTLINE_NOTIFY_TIMEOUT_MS: '2500' }).notifyTimeoutMs).to.equal(2500);
    expect(resolveConfig({ notifyTimeoutMs: 100 }, { FAULTLINE_NOTIFY_TIMEOUT_MS: '2500' }).notifyTimeoutMs).to.equal(100);
    for (const bad of [0, -1, 1.5]) expect(() => resolveConfig({ notifyTimeoutMs: bad }, {})).to.throw(/notifyTimeoutMs/);
    expect(() => resolveConfig({}, { FAULTLINE_NOTIFY_TIMEOUT_MS: 'soon' })).to.throw(/FAULTLINE_NOTIFY_TIMEOUT_MS/);
  });
});
