import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { createTestDatabase, freePort, type TestDatabase } from '@faultline/plugin-storage-postgres/testing';

const serverFile = fileURLToPath(new URL('../src/server.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');


/** The demo shop as `npm start` runs it, on a throwaway database: a page, an error, the error grouped. */
describe('example: express-host demo shop', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let stateDir: string;
  let child: ChildProcess;
  let base: string;
  let output = '';

  before(async () => {
    db = await createTestDatabase();
    stateDir = await mkdtemp(path.join(tmpdir(), 'faultline-shop-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--import', tsx, '--conditions=faultline-source', serverFile], {
      env: { ...process.env, PORT: String(port), FAULTLINE_DATABASE_URL: db.url, FAULTLINE_STATE_DIR: stateDir, FAULTLINE_LOG_LEVEL: 'warn' },
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    for (let i = 0; i < 150 && !output.includes('Demo shop on'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(output).to.include('Demo shop on');
  });

  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await db?.drop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('prints the project DSN and serves its pages', async () => {
    expect(output).to.match(/DSN: +http:\/\/[0-9a-f]{32}@127\.0\.0\.1:\d+\/faultline\/\d+/);
    const home = await fetch(`${base}/`);
    expect(home.status).to.equal(200);
    expect(await home.text()).to.include('Moon boots');
    expect((await fetch(`${base}/faultline/healthz`)).status).to.equal(200);
  });

  it('reports a server error through the Node SDK and shows it grouped', async () => {
    const checkout = await fetch(`${base}/checkout/moon-boots`);
    expect(checkout.status).to.equal(500);
    await fetch(`${base}/checkout/moon-boots`);
    const projectId = /faultline\/(\d+)/.exec(output)![1];
    let issues: any[] = [];
    for (let i = 0; i < 100 && !(issues[0]?.count >= 2); i++) {
      await new Promise((r) => setTimeout(r, 100));
      const res = await fetch(`${base}/faultline/api/v1/projects/${projectId}/issues`);
      issues = ((await res.json()) as any).data ?? [];
    }
    expect(issues).to.have.length(1);
    expect(issues[0]).to.include({ type: 'RangeError', count: 2, release: 'demo-shop@1.0.0', environment: 'demo' });
  });
});
