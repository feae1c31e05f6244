import { expect } from 'chai';
import pg from 'pg';
import { PostgresStorage } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

describe('migrations', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db?.drop();
  });

  async function appliedMigrations(): Promise<string[]> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>('SELECT name FROM faultline_migrations ORDER BY name');
      return rows.map((r) => r.name);
    } finally {
      await client.end();
    }
  }

  it('is idempotent: running twice applies each migration once', async () => {
    const storage = new PostgresStorage({ url: db.url });
    try {
      await storage.migrate();
      const first = await appliedMigrations();
      await storage.migrate();
      expect(await appliedMigrations()).to.deep.equal(first);
      expect(first).to.include('0001-initial-schema');
      await storage.ping();
    } finally {
      await storage.close();
    }
  });

  it('lets several processes migrate at once', async () => {
    const storages = [1, 2, 3].map(() => new PostgresStorage({ url: db.url }));
    try {
      await Promise.all(storages.map((s) => s.migrate()));
      expect(await appliedMigrations()).to.deep.equal(['0001-initial-schema', '0002-project-stats-and-release-index']);
      const project = await storages[0].createProject({ name: 'A', slug: 'a' });
      expect(project.id).to.be.a('number');
    } finally {
      await Promise.all(storages.map((s) => s.close()));
    }
  });
});
