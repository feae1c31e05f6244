import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { createTestDatabase, freePort, type TestDatabase } from '@faultline/plugin-storage-postgres/testing';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const TSC_PROJECTS = ['event-types', 'core', 'plugins/storage-postgres', 'sdk', 'examples/express-host'].map((p) => `${p}/tsconfig.build.json`);

/** `npm start` as it runs: the build it runs first, then the demo from dist/ with its own start script. */
describe('example: npm start builds incrementally and runs the demo with source maps', function () {
  this.timeout(300_000);
  let db: TestDatabase;
  let stateDir: string;
  let child: ChildProcess | undefined;

  before(async () => {
    db = await createTestDatabase();
    stateDir = await mkdtemp(path.join(tmpdir(), 'faultline-built-'));
  });
  after(async () => {
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
    await db?.drop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('a second build with no change rebuilds nothing', () => {
    const first = spawnSync('npm', ['run', '-s', 'build:demo'], { cwd: repo, encoding: 'utf8' });
    expect(first.status, first.stderr).to.equal(0);
    const dry = spawnSync(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-b', '--dry', '--verbose', ...TSC_PROJECTS], { cwd: repo, encoding: 'utf8' });
    const verdicts = dry.stdout.split('\n').filter((l) => /Project '[^/][^']*' is /.test(l));
    expect(verdicts, dry.stdout).to.have.length(TSC_PROJECTS.length);
    for (const line of verdicts) expect(line).to.include('is up to date');
  });

  it('runs from dist/ with source maps, so in-app frames name src/*.ts lines', async () => {
    const port = await freePort();
    let output = '';
    child = spawn('npm', ['start', '-s', '-w', '@faultline/example-express-host'], {
      cwd: repo,
      detached: true,
      env: { ...process.env, PORT: String(port), FAULTLINE_DATABASE_URL: db.url, FAULTLINE_STATE_DIR: stateDir, FAULTLINE_LOG_LEVEL: 'warn' },
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    for (let i = 0; i < 600 && !output.includes('Another project') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
    expect(output).to.include('Another project');
    const token = /Secret token: +(flt_\w+)/.exec(output)![1];
    const projectId = /faultline\/(\d+)/.exec(output)![1];
    const base = `http://127.0.0.1:${port}/faultline/api/v1`;
    const get = async (p: string) => (await fetch(`${base}${p}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<any>;

    expect((await fetch(`http://127.0.0.1:${port}/checkout/moon-boots`)).status).to.equal(500);
    let issues: any[] = [];
    for (let i = 0; i < 100 && issues.length === 0; i++) {
      issues = (await get(`/projects/${projectId}/issues`)).data;
      if (issues.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    const { data } = await get(`/issues/${issues[0].id}/events?limit=1`);
    const frames: any[] = data[0].event.exception.values.at(-1).stacktrace.frames;
    const inApp = frames.filter((f) => f.in_app);
    expect(inApp.map((f) => f.filename)).to.include('src/catalog.ts');
    expect(inApp.some((f) => /^dist\//.test(f.filename))).to.equal(false);
  });
});
