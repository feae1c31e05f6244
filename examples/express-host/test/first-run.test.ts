import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { freePort } from '@faultline/plugin-storage-postgres/testing';

const serverFile = fileURLToPath(new URL('../src/server.ts', import.meta.url));
const cliFile = fileURLToPath(new URL('../../../core/src/cli.ts', import.meta.url));
const readme = fileURLToPath(new URL('../../../README.md', import.meta.url));
const tsx = import.meta.resolve('tsx');

/** The environment of a new user: no database URL, no state directory of ours. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, FAULTLINE_LOG_LEVEL: 'warn', ...extra };
  delete env.FAULTLINE_DATABASE_URL;
  if (!extra.FAULTLINE_STATE_DIR) delete env.FAULTLINE_STATE_DIR;
  delete env.FAULTLINE_PUBLIC_URL;
  return env;
}

/** `npx faultline <args>` as a child process, from source, in `cwd`. */
function faultline(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsx, '--conditions=faultline-source', cliFile, ...args], { cwd, env: userEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Splits a README command line into arguments (double quotes only, as the README writes them). */
function argsOf(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

/**
 * The first run as the README tells it, on the embedded PostgreSQL: the demo runs, and the `faultline`
 * command run beside it (same directory, no configuration) acts on the demo's database.
 */
describe('example: first run on the embedded database', function () {
  this.timeout(120_000);
  let root: string;
  let child: ChildProcess;
  let base: string;
  let output = '';

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'faultline-first-run-'));
    await chmod(root, 0o755); // the embedded server runs as the postgres user when we are root
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--import', tsx, '--conditions=faultline-source', serverFile], {
      cwd: root,
      env: userEnv({ PORT: String(port), FAULTLINE_STATE_DIR: path.join(root, '.faultline') }),
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    for (let i = 0; i < 900 && !output.includes('Another project') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
    expect(output).to.include('Another project');
  });

  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(root, { recursive: true, force: true });
  });

  it('prints the DSN, a secret token that works on the admin API, and the command for another project', async () => {
    const projectId = /DSN: +http:\/\/\w+@127\.0\.0\.1:\d+\/faultline\/(\d+)/.exec(output)?.[1];
    const token = /Secret token: +(flt_\w+)/.exec(output)?.[1];
    expect(projectId, output).to.be.a('string');
    expect(token, output).to.be.a('string');
    expect(output).to.match(/^ +npx faultline project create "Another app"$/m);
    const res = await fetch(`${base}/faultline/api/v1/projects/${projectId}/issues`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).to.equal(200);
    const wrong = await fetch(`${base}/faultline/api/v1/projects/${projectId}/issues`, { headers: { authorization: 'Bearer flt_not_a_token' } });
    expect(wrong.status).to.equal(401); // a request with a token is judged by it, even from this machine
  });

  it('the README\'s project create commands, run as written beside the demo, make projects on its database', async () => {
    const commands = new Set([...(await readFile(readme, 'utf8')).matchAll(/^(?:\s*)npx faultline (project create .*?)\s*(?:#.*)?$/gm)].map((m) => m[1]));
    expect(commands.size).to.be.at.least(2);
    commands.add('project create "Another app"'); // what `npm start` prints
    for (const command of commands) {
      const res = await faultline([...argsOf(command), '--json'], root);
      expect(res.code, `${command}: ${res.stderr}`).to.equal(0);
      const created = JSON.parse(res.stdout);
      if (!command.includes('--url')) expect(created.dsn).to.equal(`http://${created.publicKey}@127.0.0.1:${new URL(base).port}/faultline/${created.id}`);

      // The key and the token it printed work against the running demo.
      const ingest = await fetch(`${base}/faultline/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${created.publicKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ message: `first event of ${created.slug}` }),
      });
      expect(ingest.status, command).to.equal(202);
      let issues: any[] = [];
      for (let i = 0; i < 100 && issues.length === 0; i++) {
        const res = await fetch(`${base}/faultline/api/v1/projects/${created.id}/issues`, { headers: { authorization: `Bearer ${created.secretToken}` } });
        expect(res.status, command).to.equal(200);
        issues = ((await res.json()) as { data: any[] }).data;
        if (issues.length === 0) await new Promise((r) => setTimeout(r, 50));
      }
      expect(issues[0].title).to.equal(`first event of ${created.slug}`);
    }
  });

  it('a failure exits 1 with one coded line, even with the embedded PostgreSQL', async () => {
    const res = await faultline(['project', 'create', 'Another app'], root); // its slug is taken now
    expect(res.code).to.equal(1);
    expect(res.stderr.trim().split('\n')).to.have.length(1);
    expect(res.stderr).to.match(/^faultline: FAULTLINE_ERR_CONFLICT: /);
  });

  it('a data directory held by a process it cannot use names the directory and the process', async () => {
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'faultline-locked-'));
    try {
      const dataDir = path.join(elsewhere, '.faultline', 'postgres');
      await mkdir(dataDir, { recursive: true });
      await writeFile(path.join(dataDir, 'PG_VERSION'), '17\n');
      // This test's own process plays a server that holds the directory and does not answer.
      const closedPort = await freePort();
      await writeFile(path.join(dataDir, 'postmaster.pid'), `${process.pid}\n${dataDir}\n1764500000\n${closedPort}\n\n127.0.0.1\n0 0\nready\n`);
      const res = await faultline(['project', 'create', 'Locked'], elsewhere);
      expect(res.code).to.equal(1);
      expect(res.stderr.trim().split('\n')).to.have.length(1);
      expect(res.stderr).to.match(/^faultline: FAULTLINE_ERR_STORAGE_LOCKED: /);
      expect(res.stderr).to.include(dataDir).and.include(`process ${process.pid}`);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('pages report browser errors to the host they were asked from, not to 127.0.0.1', async () => {
    // fetch() does not let a caller set Host; node:http does.
    const page = await new Promise<string>((resolve, reject) => {
      http.get(`${base}/`, { headers: { host: 'shop.example:8080' } }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve(text));
      }).on('error', reject);
    });
    expect(page).to.match(/"dsn":"http:\/\/\w+@shop\.example:8080\/faultline\/\d+"/);
    expect(page).to.not.include('127.0.0.1');
  });
});
