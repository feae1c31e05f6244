import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { PluginContext, StorageProvider } from '@faultline/core';
import { storagePostgres } from '../src/index.js';
import { silentLogger } from '../src/silent-logger.js';
import { groupedEvent } from './helpers.js';

describe('embedded PostgreSQL through the plugin', function () {
  this.timeout(120_000);
  let dir: string;
  const savedUrl = process.env.FAULTLINE_DATABASE_URL;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'faultline-embedded-'));
    await chmod(dir, 0o755);
    delete process.env.FAULTLINE_DATABASE_URL;
  });
  after(async () => {
    if (savedUrl !== undefined) process.env.FAULTLINE_DATABASE_URL = savedUrl;
    await rm(dir, { recursive: true, force: true });
  });

  it('initialises, starts, migrates, serves, stops, and starts again on the same data', async () => {
    const dataDir = path.join(dir, 'postgres');
    const run = async (work: (storage: StorageProvider) => Promise<void>) => {
      let provided: StorageProvider | null = null;
      const plugin = storagePostgres({ dataDir });
      const ctx = {
        log: silentLogger(),
        config: { migrate: true },
        provide: (service: string, impl: StorageProvider) => {
          if (service === 'storage') provided = impl;
        },
        // The plugin schedules partition upkeep on `jobs` at start; this test runs no scheduler.
        need: (service: string) => {
          if (service !== 'jobs') throw new Error(`unexpected need(${service})`);
          return { define() {}, schedule() {} };
        },
      } as unknown as PluginContext;
      expect(plugin.name).to.equal('@faultline/plugin-storage-postgres');
      await plugin.setup(ctx);
      await plugin.start!();
      try {
        await work(provided!);
      } finally {
        await plugin.stop!();
      }
    };

    await run(async (storage) => {
      await storage.ping();
      const project = await storage.createProject({ name: 'Embedded', slug: 'embedded' });
      const result = await storage.storeBatch([groupedEvent(project.id, 'emb')]);
      expect(result.created).to.have.length(1);
    });
    expect((await stat(path.join(dataDir, 'PG_VERSION'))).isFile()).to.equal(true);

    await run(async (storage) => {
      const [project] = await storage.listProjects();
      expect(project.slug).to.equal('embedded');
      const page = await storage.listIssues(project.id, { sort: 'last_seen', limit: 10 });
      expect(page.data.map((i) => i.fingerprint)).to.deep.equal(['emb']);
    });
  });

  it('rejects bad options naming the option', () => {
    expect(() => storagePostgres({ url: 'mysql://x' })).to.throw(/url/).with.property('code', 'FAULTLINE_ERR_CONFIG_INVALID');
    expect(() => storagePostgres({ poolMax: 0 })).to.throw(/poolMax/).with.property('code', 'FAULTLINE_ERR_CONFIG_INVALID');
  });
});
