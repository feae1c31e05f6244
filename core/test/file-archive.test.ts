import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { definePlugin, FileArchive, type ArchiveProvider } from '../src/index.js';
import { api, errorEvent, postEvents } from './helpers/http.js';

describe('FileArchive: gzip NDJSON files with a manifest, provided by a plugin', function () {
  this.timeout(60_000);
  let server: PostgresTestServer;
  let dir: string;
  let archive: ArchiveProvider;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-archive-'));
    server = await startPostgresTestServer({
      plugins: [definePlugin({
        name: 'test-file-archive',
        core: '^0.1.0',
        setup(ctx) {
          archive = new FileArchive({ dir, storage: () => ctx.need('storage') });
          ctx.provide('archive', archive);
        },
      })],
    });
  });
  afterEach(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function issueEvents(): Promise<any[]> {
    const issues = await api(server, `/projects/${server.project.id}/issues?query=`);
    const all: any[] = [];
    for (const issue of issues.body.data) all.push(...(await api(server, `/issues/${issue.id}/events?limit=100`)).body.data);
    return all.sort((a, b) => a.id.localeCompare(b.id));
  }

  it('exports a range, drops it from storage, and restores it exactly and idempotently', async () => {
    const other = await server.createProject('Other');
    const events = [errorEvent({ type: 'ArchivedError', value: 'Grüße aus 東京 🚀' }), errorEvent({ type: 'ArchivedError' }), errorEvent({ type: 'OtherError' })];
    expect((await postEvents(server, { events })).status).to.equal(202);
    expect((await postEvents(server, { events: [errorEvent()] }, { key: other.publicKey })).status).to.equal(202);
    const before = await issueEvents();
    expect(before).to.have.length(3);

    const range = { projectId: server.project.id, from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 3_600_000) };
    const record = await archive.exportRange(range);
    expect(record).to.include({ projectId: server.project.id, events: 3 });
    expect(record.sha256).to.match(/^[0-9a-f]{64}$/);
    expect(await archive.list()).to.deep.equal([record]);
    expect(await archive.list({ projectId: other.id })).to.deep.equal([]);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.archives).to.deep.equal([record]);
    const lines = gunzipSync(await readFile(record.location)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.eventId).sort()).to.deep.equal(before.map((e) => e.id));

    expect(await server.faultline.storage.dropEvents(range)).to.deep.equal({ events: 3 });
    expect(await issueEvents()).to.deep.equal([]);

    expect(await archive.restore(range)).to.deep.equal({ restored: 3, skipped: 0, archives: 1 });
    expect(await issueEvents()).to.deep.equal(before);
    expect(await archive.restore(range)).to.deep.equal({ restored: 0, skipped: 3, archives: 1 });
    expect(await issueEvents()).to.deep.equal(before);
  });

  it('refuses to restore an archive whose bytes changed, restoring nothing of it', async () => {
    expect((await postEvents(server, { events: [errorEvent(), errorEvent()] })).status).to.equal(202);
    const range = { projectId: server.project.id, from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 3_600_000) };
    const record = await archive.exportRange(range);
    await server.faultline.storage.dropEvents(range);
    const bytes = await readFile(record.location);
    bytes[bytes.length - 5] ^= 0xff;
    await writeFile(record.location, bytes);
    const err = await archive.restore(range).then(() => null, (e: unknown) => e);
    expect(err).to.include({ code: 'FAULTLINE_ERR_ARCHIVE_CORRUPT' });
    expect(await issueEvents()).to.deep.equal([]);
  });

  it('writes an empty archive for an empty range, and rejects a backwards range with a coded error', async () => {
    const from = new Date(Date.UTC(2020, 0, 1));
    const record = await archive.exportRange({ projectId: server.project.id, from, to: new Date(from.getTime() + 86_400_000) });
    expect(record.events).to.equal(0);
    const err = await archive.exportRange({ projectId: server.project.id, from, to: from }).then(() => null, (e: unknown) => e);
    expect(err).to.include({ code: 'FAULTLINE_ERR_REQUEST_INVALID', path: 'from' });
  });
});
