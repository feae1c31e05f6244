/**
 * End to end in Node: a child process with the SDK dies of an uncaught exception; the event must be
 * stored by a real Faultline (core + storage-postgres on a throwaway database).
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { storedEvents, waitFor } from './helpers/server-events.js';

function runChild(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=faultline-source', 'sdk/test/fixtures/crash-child.ts'], {
      env: { ...process.env, ...env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('Node SDK end to end', function () {
  this.timeout(60_000);
  let server: PostgresTestServer;
  let dir: string;

  before(async () => {
    server = await startPostgresTestServer();
    dir = mkdtempSync(join(tmpdir(), 'faultline-sdk-e2e-'));
  });

  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports an uncaught exception, then prints it and exits with code 1 like Node', async () => {
    const { code, stderr } = await runChild({ FAULTLINE_DSN: server.project.dsn, FAULTLINE_QUEUE_FILE: join(dir, 'queue.json') });
    expect(code).to.equal(1);
    expect(stderr).to.contain('config file missing');

    const events = await waitFor(() => storedEvents(server), (e) => e.length > 0);
    expect(events).to.have.length(1);
    const e = events[0].event;
    expect(e.level).to.equal('fatal');
    expect(e.release).to.equal('crash-child@1.0.0');
    expect(e.tags).to.include({ scenario: 'uncaught' });
    const values = e.exception!.values;
    expect(values.map((v) => v.value)).to.deep.equal(['ENOENT: /etc/app.json', 'config file missing']);
    expect(values[1].mechanism).to.deep.include({ type: 'onuncaughtexception', handled: false });
    const frames = values[1].stacktrace!.frames;
    const top = frames[frames.length - 1];
    expect(top).to.include({ function: 'loadConfig', in_app: true });
    expect(String(top.filename)).to.match(/crash-child\.ts$/);
  });

  it('sends what is queued when the process ends on its own', async () => {
    const before = (await storedEvents(server)).length;
    const { code } = await runChild({
      FAULTLINE_DSN: server.project.dsn,
      FAULTLINE_QUEUE_FILE: join(dir, 'queue-2.json'),
      FAULTLINE_SCENARIO: 'handled',
    });
    expect(code).to.equal(0);
    const events = await waitFor(() => storedEvents(server), (e) => e.length > before);
    const e = events.find((x) => x.event.tags?.scenario === 'handled')!.event;
    expect(e).to.include({ message: 'nightly job finished with warnings', level: 'warning', platform: 'node' });
  });
});
