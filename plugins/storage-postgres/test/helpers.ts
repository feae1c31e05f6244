import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { decodePayload, type CanonicalEvent, type GroupedEvent, type Level } from '@faultline/core';
import { PostgresStorage } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

export interface Harness {
  db: TestDatabase;
  storage: PostgresStorage;
  projectId: number;
  /** A plain connection of its own, for reading rows back with SQL (opened on first use, closed by close()). */
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

export const newEventId = () => randomBytes(16).toString('hex');

let clock = Date.now();
/** Strictly increasing server times, so ordering never depends on timing. */
export const nextReceivedAt = () => new Date((clock += 1000));

export function groupedEvent(
  projectId: number,
  fingerprint: string,
  over: {
    eventId?: string;
    receivedAt?: Date;
    level?: Level;
    release?: string;
    environment?: string;
    userKey?: string | null;
    title?: string;
    value?: string;
    padding?: number;
    message?: string;
    timestamp?: string;
  } = {},
): GroupedEvent {
  const eventId = over.eventId ?? newEventId();
  const title = over.title ?? `Error ${fingerprint}`;
  const event: CanonicalEvent = {
    event_id: eventId,
    timestamp: over.timestamp ?? new Date().toISOString(),
    level: over.level ?? 'error',
    platform: 'javascript',
    tags: {},
    ...(over.message !== undefined ? { message: over.message } : {}),
    ...(over.release !== undefined ? { release: over.release } : {}),
    ...(over.environment !== undefined ? { environment: over.environment } : {}),
    exception: { values: [{ type: 'Error', value: over.value ?? title }] },
    extra: over.padding ? { padding: 'x'.repeat(over.padding) } : {},
  };
  return {
    projectId,
    eventId,
    receivedAt: (over.receivedAt ?? nextReceivedAt()).toISOString(),
    timestamp: event.timestamp,
    level: event.level,
    platform: event.platform,
    release: over.release ?? null,
    environment: over.environment ?? null,
    fingerprint,
    groupingVersion: '1',
    userKey: over.userKey ?? null,
    meta: { title, culprit: `app.js in handler`, type: 'Error', value: over.value ?? title },
    payload: new TextEncoder().encode(JSON.stringify(event)),
  };
}

/** The event a grouped event carries, as storage should give it back. */
export const eventOf = (grouped: GroupedEvent): CanonicalEvent => decodePayload(grouped.payload);

/** Milliseconds of a grouped event's receive time. */
export const receivedMs = (grouped: GroupedEvent): number => Date.parse(grouped.receivedAt);
