import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FAULTLINE_') && k !== 'PORT'));
    const child = spawn(process.execPath, ['--import', tsx, '--conditions=faultline-source', cli, ...args], { env: { ...clean, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('faultline config print', function () {
  this.timeout(60_000);
  let dir: string;
  let file: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'faultline-config-'));
    file = path.join(dir, 'faultline.config.json');
    await writeFile(file, JSON.stringify({ rateLimitPerMinute: 1200, limits: { maxFrames: 100 }, port: 4000 }));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('shows each value with the source it came from, and masks secrets', async () => {
    const res = await run(['config', 'print', '--json', '-c', file], {
      FAULTLINE_DATABASE_URL: 'postgres://app:hunter2-password@db.internal:5432/faultline',
      FAULTLINE_ADMIN_TOKEN: 'admin-token-that-is-long-enough',
      FAULTLINE_INGEST_THREADS: '2',
      PORT: '5000',
    });
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).not.to.include('hunter2-password');
    expect(res.stdout).not.to.include('admin-token-that-is-long-enough');
    const byName = Object.fromEntries(JSON.parse(res.stdout).map((s: any) => [s.name, s]));
    expect(byName.rateLimitPerMinute).to.include({ value: 1200, source: 'file' });
    expect(byName['limits.maxFrames']).to.include({ value: 100, source: 'file' });
    expect(byName['limits.maxBreadcrumbs']).to.include({ value: 200, source: 'default' });
    expect(byName.ingestThreads).to.include({ value: 2, source: 'env', env: 'FAULTLINE_INGEST_THREADS' });
    expect(byName.port).to.include({ value: 5000, source: 'env' });
    expect(byName.databaseUrl).to.include({ value: 'postgres://app:****@db.internal:5432/faultline', source: 'env' });
    expect(byName.adminToken.value).to.equal('admi****');
    expect(byName.plugins.value).to.deep.equal(['@faultline/plugin-storage-postgres']);
  });

  it('prints a table by default', async () => {
    const res = await run(['config', 'print', '-c', file], {});
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.match(/^rateLimitPerMinute\s+1200\s+\(file\)$/m);
    expect(res.stdout).to.match(/^databaseUrl\s+-\s+\(default\)$/m);
  });

  it('a bad value fails with a coded one-line error naming the setting', async () => {
    const res = await run(['config', 'print', '-c', file], { FAULTLINE_INGEST_THREADS: 'many' });
    expect(res.code).to.equal(1);
    expect(res.stderr.trim().split('\n')).to.have.length(1);
    expect(res.stderr).to.include('FAULTLINE_ERR_CONFIG_INVALID').and.include('FAULTLINE_INGEST_THREADS');
  });
});
