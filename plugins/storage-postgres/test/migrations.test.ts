import { expect } from 'chai';
import pg from 'pg';
import { PostgresStorage } from '../src/index.js';
import { initialSchema } from '../src/migrations/0001-initial-schema.js';
import { MIGRATIONS } from '../src/migrations/index.js';
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
      expect(await appliedMigrations()).to.deep.equal(MIGRATIONS.map((m) => m.name));
      const project = await storages[0].createProject({ name: 'A', slug: 'a' });
      expect(project.id).to.be.a('number');
    } finally {
      await Promise.all(storages.map((s) => s.close()));
    }
  });

  it('upgrades a database made by 0001: project stats are filled from the issue rollup', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query('CREATE TABLE faultline_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      await initialSchema.up(client);
      await client.query(`INSERT INTO faultline_migrations (name) VALUES ('0001-initial-schema')`);
      await client.query(`INSERT INTO projects (slug, name) VALUES ('old', 'Old')`);
      await client.query(
        `INSERT INTO issue_stats_hourly (project_id, issue_id, bucket, count)
         VALUES (1, 1, '2026-01-01 10:00Z', 2), (1, 2, '2026-01-01 10:00Z', 3), (1, 1, '2026-01-01 11:00Z', 4)`,
      );
    } finally {
      await client.end();
    }
    const storage = new PostgresStorage({ url: db.url });
    try {
      await storage.migrate();
      expect(await appliedMigrations()).to.deep.equal(MIGRATIONS.map((m) => m.name));
      const points = await storage.eventStats(1, { since: new Date('2026-01-01T10:00Z'), until: new Date('2026-01-01T12:00Z'), interval: 'hour' });
      expect(points.map((p) => p.count)).to.deep.equal([5, 4]);
    } finally {
      await storage.close();
    }
  });

  it('keeps only events with search text or frames in their search indexes, and plans search conditions on them', async () => {
    const storage = new PostgresStorage({ url: db.url });
    await storage.migrate();
    await storage.close();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ indexname: string; indexdef: string }>(
        `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'events' AND indexname IN ('events_search_idx', 'events_fields_idx') ORDER BY 1`,
      );
      expect(rows.map((r) => r.indexdef.replace(/.* WHERE /, ''))).to.deep.equal(['(fields IS NOT NULL)', '(search_text IS NOT NULL)']);
      await client.query('BEGIN; SET LOCAL enable_seqscan = off');
      const plan = async (condition: string) =>
        (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT 1 FROM events e WHERE ${condition}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(await plan(`to_tsvector('simple', e.search_text) @@ plainto_tsquery('simple', 'timeout')`)).to.match(/Bitmap Index Scan on events_default_to_tsvector_idx/);
      expect(await plan(`e.fields @> '{"fn":["placeOrder"]}'::jsonb`)).to.match(/Bitmap Index Scan on events_default_fields_idx/);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
  });
});
