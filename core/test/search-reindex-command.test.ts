import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '@faultline/plugin-storage-postgres/testing';
import { parseSince } from '../src/cli/search-reindex-command.js';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsx, '--conditions=faultline-source', cli, ...args], {
      env: { ...process.env, FAULTLINE_LOG_LEVEL: 'warn', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('faultline search reindex', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => db?.drop());

  it('says there is nothing to rebuild with the default search (PostgreSQL indexes as it stores)', async () => {
    const res = await run(['search', 'reindex', '--since', '7d'], { FAULTLINE_DATABASE_URL: db.url });
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.match(/Search provider "storage" keeps no index of its own/);
  });

  it('refuses a malformed --since or --project with one coded line', async () => {
    const res = await run(['search', 'reindex', '--since', 'last tuesday'], { FAULTLINE_DATABASE_URL: db.url });
    expect(res.code).to.equal(1);
    expect(res.stderr.trim()).to.equal('faultline: FAULTLINE_ERR_REQUEST_INVALID: --since takes a date (2026-01-01) or a duration (24h, 7d, 2w), not "last tuesday"');
    const bad = await run(['search', 'reindex', '--project', 'x'], { FAULTLINE_DATABASE_URL: db.url });
    expect(bad.stderr).to.match(/--project takes a project id/);
  });

  it('reads --since as a date or a duration back from now', () => {
    const now = new Date('2026-03-08T00:00:00Z');
    expect(parseSince('7d', now)).to.deep.equal(new Date('2026-03-01T00:00:00Z'));
    expect(parseSince('2w', now)).to.deep.equal(new Date('2026-02-22T00:00:00Z'));
    expect(parseSince('2026-01-01', now)).to.deep.equal(new Date('2026-01-01T00:00:00Z'));
  });
});
