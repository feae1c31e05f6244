import type { Logger } from 'pino';
import type { PgClient } from './connection.js';

/**
 * Daily partitions of `events` by received_at (UTC days), created ahead of time. The DEFAULT partition
 * catches anything outside them (a clock jump, a stopped maintenance timer); when a day's partition is
 * created later, that day's rows are moved out of the default partition in the same transaction.
 */
export const PARTITION_WINDOW = { daysBehind: 1, daysAhead: 7 } as const;

export const PARTITION_LOCK_KEY = 0x6661_7574; // 'faut'
const DAY_MS = 86_400_000;

export function partitionName(day: Date): string {
  return `events_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

export function utcDay(t: Date): Date {
  return new Date(Math.floor(t.getTime() / DAY_MS) * DAY_MS);
}

/** The names of the partitions attached to `events`, the default one included. */
export async function partitionNames(client: PgClient): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'events'::regclass`,
  );
  return rows.map((row) => row.name);
}

/** Creates the missing daily partitions from `now - daysBehind` to `now + daysAhead`. Returns their names. */
export async function ensurePartitions(
  client: PgClient,
  now: Date,
  log: Logger,
  window: { daysBehind: number; daysAhead: number } = PARTITION_WINDOW,
): Promise<string[]> {
  const first = utcDay(now).getTime() - window.daysBehind * DAY_MS;
  const days: Date[] = [];
  for (let i = 0; i <= window.daysBehind + window.daysAhead; i++) days.push(new Date(first + i * DAY_MS));

  const existing = new Set(await partitionNames(client));
  const created: string[] = [];
  for (const day of days) {
    const name = partitionName(day);
    if (existing.has(name)) continue;
    if (await createPartition(client, day)) created.push(name);
  }
  if (created.length > 0) log.info({ partitions: created }, 'created event partitions');
  return created;
}

/** One day's partition, moving that day's rows out of the default partition. False if another process won. */
export async function createPartition(client: PgClient, day: Date): Promise<boolean> {
  const name = partitionName(day);
  const from = day.toISOString();
  const to = new Date(day.getTime() + DAY_MS).toISOString();
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY]);
    const { rowCount } = await client.query('SELECT 1 FROM pg_class WHERE relname = $1 AND relkind = $2', [name, 'r']);
    if (rowCount) {
      await client.query('ROLLBACK');
      return false;
    }
    // Standalone first, so rows parked in the default partition can move in before it is attached.
    await client.query(`CREATE TABLE ${name} (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING COMPRESSION)`);
    await client.query(
      `WITH moved AS (
         DELETE FROM events_default WHERE received_at >= $1 AND received_at < $2 RETURNING *
       ) INSERT INTO ${name} SELECT * FROM moved`,
      [from, to],
    );
    await client.query(`ALTER TABLE ${name} ADD CONSTRAINT ${name}_range
      CHECK (received_at >= '${from}'::timestamptz AND received_at < '${to}'::timestamptz)`);
    await client.query(`ALTER TABLE events ATTACH PARTITION ${name} FOR VALUES FROM ('${from}') TO ('${to}')`);
    await client.query(`ALTER TABLE ${name} DROP CONSTRAINT ${name}_range`);
    await client.query('COMMIT');
    return true;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
