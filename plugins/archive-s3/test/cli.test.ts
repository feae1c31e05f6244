import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { EventRecord } from '@faultline/core';
import { PostgresStorage } from '@faultline/plugin-storage-postgres';
import { createTestDatabase, type TestDatabase } from '@faultline/plugin-storage-postgres/testing';
import { startTestS3, type TestS3 } from './helpers.js';

const cli = fileURLToPath(import.meta.resolve('@faultline/core/package.json').replace('package.json', 'src/cli.ts'));
const tsx = import.meta.resolve('tsx');
const DAY = 86_400_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('faultline archive and retention commands (s3rver, Postgres)', function () {
  this.timeout(120_000);
  let s3: TestS3;
  let db: TestDatabase;
  let dir: string;
  let env: Record<string, string>;
  let projectId: number;
  const day = new Date(Math.floor((Date.now() - 40 * DAY) / DAY) * DAY);
  const dayText = day.toISOString().slice(0, 10);

  function run(...args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', tsx, '--conditions=faultline-source', cli, '--config', path.join(dir, 'faultline.config.json'), ...args], {
        env: { ...process.env, FAULTLINE_LOG_LEVEL: 'warn', ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  before(async () => {
    s3 = await startTestS3();
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(tmpdir(), 'faultline-cli-archive-'));
    await writeFile(path.join(dir, 'faultline.config.json'), JSON.stringify({ plugins: ['@faultline/plugin-archive-s3'], retentionSchedule: false }));
    env = {
      FAULTLINE_DATABASE_URL: db.url,
      FAULTLINE_S3_BUCKET: s3.bucket,
      FAULTLINE_S3_ENDPOINT: s3.endpoint,
      FAULTLINE_S3_FORCE_PATH_STYLE: '1',
      FAULTLINE_S3_ACCESS_KEY_ID: 'S3RVER',
      FAULTLINE_S3_SECRET_ACCESS_KEY: 'S3RVER',
    };
    // Events 40 days old, as if they had been there all along (restoreEvents makes their day's partition).
    const storage = new PostgresStorage({ url: db.url });
    await storage.connect();
    await storage.migrate();
    projectId = (await storage.createProject({ name: 'Old', slug: `old-${randomBytes(3).toString('hex')}` })).id;
    const records: EventRecord[] = Array.from({ length: 25 }, (_, i) => ({
      projectId,
      eventId: randomBytes(16).toString('hex'),
      issueId: '1',
      receivedAt: new Date(day.getTime() + i * 60_000).toISOString(),
      timestamp: null,
      level: 'error',
      release: null,
      environment: null,
      payload: new TextEncoder().encode(JSON.stringify({ message: `old ${i}` })),
    }));
    await storage.restoreEvents(records);
    await storage.close();
  });
  after(async () => {
    await s3?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('status says what the next run does; run archives and drops; list and restore bring it back', async () => {
    const status = await run('retention', 'status', '--json');
    expect(status.code, status.stderr).to.equal(0);
    const partition = JSON.parse(status.stdout).partitions.find((p: { from: string }) => p.from === day.toISOString());
    expect(partition).to.include({ rows: 25, drop: true });
    expect(partition.projects[0]).to.include({ projectId, action: 'archive' });

    const archived = await run('archive', 'run', '--json');
    expect(archived.code, archived.stderr).to.equal(0);
    expect(JSON.parse(archived.stdout)).to.include({ eventsArchived: 25, archivesWritten: 1 });
    expect(archived.stderr).to.not.contain('retention ['); // no progress bar when stderr is not a terminal

    const list = await run('archive', 'list', '--project', String(projectId), '--json');
    expect(list.code, list.stderr).to.equal(0);
    expect(JSON.parse(list.stdout).archives.map((a: { events: number; location: string }) => [a.events, a.location.startsWith(`s3://${s3.bucket}/`)])).to.deep.equal([[25, true]]);

    const restored = await run('archive', 'restore', '--project', String(projectId), '--from', dayText, '--to', dayText, '--json');
    expect(restored.code, restored.stderr).to.equal(0);
    expect(JSON.parse(restored.stdout)).to.deep.equal({ restored: 25, skipped: 0, archives: 1 });
  });

  it('retention set changes a policy; bad input exits 1 with one coded line', async () => {
    const set = await run('retention', 'set', '--project', String(projectId), '--hot-days', '7', '--max-events', '1000', '--json');
    expect(set.code, set.stderr).to.equal(0);
    expect(JSON.parse(set.stdout)).to.deep.equal({ hotDays: 7, archive: true, deleteAfterDays: 90, maxEvents: 1000 });

    for (const args of [
      ['retention', 'set', '--project', String(projectId), '--hot-days', '10', '--delete-after', '5'],
      ['archive', 'list'],
      ['archive', 'restore', '--project', String(projectId), '--from', '2026-02-30', '--to', dayText],
    ]) {
      const res = await run(...args);
      expect(res.code, args.join(' ')).to.equal(1);
      expect(res.stderr.trim().split('\n')).to.have.length(1);
      expect(res.stderr).to.match(/^faultline: FAULTLINE_ERR_REQUEST_INVALID: /);
    }
  });
});
