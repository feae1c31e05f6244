import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { decodePayload, type CanonicalEvent, type GroupedEvent } from '@faultline/core';
import { PostgresStorage } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

export interface Harness {
  db: TestDatabase;
  storage: PostgresStorage;
  projectId: number;
  /**
   * A plain connection of its own, for reading rows back with SQL (opened on first use, closed by close()).
   * The issue tag counts the storage holds in memory are written first, so SQL reads them too.
   */
  sql(): Promise<pg.Client>;
  close(): Promise<void>;
}

/** A migrated storage on a throwaway database, with one project. */
export async function createHarness(): Promise<Harness> {
  const db = await createTestDatabase();
  const storage = new PostgresStorage({ url: db.url });
  await storage.connect();
  await storage.migrate();
  const project = await storage.createProject({ name: 'Test', slug: `test-${randomBytes(3).toString('hex')}` });
  let sql: pg.Client | null = null;
  return {
    db,
    storage,
    projectId: project.id,
    async sql() {
      await storage.flushIssueTags();
      if (!sql) {
        sql = new pg.Client({ connectionString: db.url });
        await sql.connect();
      }
      return sql;
    },
    async close() {
      await (sql as pg.Client | null)?.end();
      await storage.close();
      await db.drop();
    },
  };
}

/** Grouped events as ingest hands them to storage, shared with the storage contract's cases. */
export { groupedEvent, newEventId, nextReceivedAt } from '@faultline/core/testing';

/** The event a grouped event carries, as storage should give it back. */
export const eventOf = (grouped: GroupedEvent): CanonicalEvent => decodePayload(grouped.payload);

/** Milliseconds of a grouped event's receive time. */
export const receivedMs = (grouped: GroupedEvent): number => Date.parse(grouped.receivedAt);
