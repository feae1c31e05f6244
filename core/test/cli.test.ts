import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { createTestDatabase, freePort, type TestDatabase } from '@faultline/plugin-storage-postgres/testing';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
// Absolute, so a child started in another directory still finds the loader.
const tsx = import.meta.resolve('tsx');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string>, cwd?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsx, '--conditions=faultline-source', cli, ...args], {
      env: { ...process.env, FAULTLINE_LOG_LEVEL: 'warn', ...env },
      cwd,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}


describe('faultline CLI', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let env: Record<string, string>;

  before(async () => {
    db = await createTestDatabase();
    env = { FAULTLINE_DATABASE_URL: db.url };
  });
  after(async () => db?.drop());

  it('migrate is idempotent', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await run(['migrate'], env);
      expect(res.code, res.stderr).to.equal(0);
    }
  });

  it('project create --json prints one object with id, slug, key, token and DSN', async () => {
    const res = await run(['project', 'create', 'Billing API', '--json', '--url', 'https://errors.example/faultline'], env);
    expect(res.code, res.stderr).to.equal(0);
    const out = JSON.parse(res.stdout);
    expect(out).to.have.all.keys('id', 'slug', 'publicKey', 'secretToken', 'dsn');
    expect(out.slug).to.equal('billing-api');
    expect(out.publicKey).to.match(/^[A-Za-z0-9_]+$/);
    expect(out.dsn).to.equal(`https://${out.publicKey}@errors.example/faultline/${out.id}`);
  });

  it('serve runs a standalone server that send-test-event reaches, and stops on SIGTERM', async () => {
    const port = await freePort();
    const created = JSON.parse((await run(['project', 'create', 'Served', '--json', '--url', `http://127.0.0.1:${port}`], env)).stdout);
    const server = spawn(process.execPath, ['--import', tsx, '--conditions=faultline-source', cli, 'serve', '--port', String(port)], {
      env: { ...process.env, FAULTLINE_LOG_LEVEL: 'warn', ...env },
    });
    const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
    try {
      let up = false;
      for (let i = 0; i < 100 && !up; i++) {
        up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
        if (!up) await new Promise((r) => setTimeout(r, 100));
      }
      expect(up, 'server came up').to.equal(true);
      const sent = await run(['send-test-event', '--dsn', created.dsn], env);
      expect(sent.code, sent.stderr).to.equal(0);
      expect(sent.stdout).to.match(/Sent test event [0-9a-f]{32}/);
      const issues = await fetch(`http://127.0.0.1:${port}/api/v1/projects/${created.id}/issues`, {
        headers: { authorization: `Bearer ${created.secretToken}` },
      });
      const body = (await issues.json()) as any;
      expect(body.data[0].type).to.equal('FaultlineTestError');
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited).to.equal(0);
  });

  it('reads plugins from a config file and fails clearly on a bad one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'faultline-cli-'));
    try {
      await writeFile(path.join(dir, 'faultline.config.json'), JSON.stringify({ plugins: ['@faultline/plugin-does-not-exist'] }));
      const res = await run(['migrate'], env, dir);
      expect(res.code).to.equal(1);
      expect(res.stderr).to.include('FAULTLINE_ERR_PLUGIN_LOAD').and.include('@faultline/plugin-does-not-exist');

      await writeFile(path.join(dir, 'faultline.config.json'), JSON.stringify({ batch: { maxSize: -1 } }));
      const bad = await run(['migrate'], env, dir);
      expect(bad.code).to.equal(1);
      expect(bad.stderr).to.include('FAULTLINE_ERR_CONFIG_INVALID').and.include('batch.maxSize');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('send-test-event refuses a malformed DSN', async () => {
    const res = await run(['send-test-event', '--dsn', 'http://bad key@host/x'], env);
    expect(res.code).to.equal(1);
    expect(res.stderr).to.include('FAULTLINE_ERR_CONFIG_INVALID');
  });
});
