import type { EventRangeFilter, EventRecord, EventTimeRange, Level, RestoreEventsResult, TimeRange } from '@faultline/core';
import type { PgClient } from './connection.js';
import { toIso } from './issue-row.js';
import { createPartition, PARTITION_LOCK_KEY, partitionName, partitionNames, utcDay } from './partitions.js';

/**
 * What an archive needs from storage: the daily partitions and their sizes, a project's events in a range
 * read out in key order, whole ranges dropped, and archived events written back.
 */

const DAY_MS = 86_400_000;
const PARTITION_NAME = /^events_p(\d{4})(\d{2})(\d{2})$/;
const RESTORE_LOCK_KEY = 0x6661_7572; // 'faur'

interface RecordRow {
  project_id: number;
  event_id: string;
  issue_id: string;
  received_at: Date | string;
  timestamp: Date | string | null;
  level: Level;
  release: string | null;
  environment: string | null;
  payload: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Every daily partition (with rows or not), then the days parked in the default partition. */
export async function listEventRanges(client: PgClient, filter: EventRangeFilter = {}): Promise<EventTimeRange[]> {
  // `before` bounds received_at to whole days that end by then, so only those partitions are read.
  const before = filter.before ? new Date(Math.floor(filter.before.getTime() / DAY_MS) * DAY_MS) : null;
  if (filter.projectId !== undefined) {
    const { rows } = await client.query<{ partition: string; day: Date; rows: string; bytes: string }>(
      `SELECT tableoid::regclass::text AS partition, date_trunc('day', received_at, 'UTC') AS day,
              count(*) AS rows, sum(octet_length(payload)) AS bytes
         FROM events WHERE project_id = $1 AND ($2::timestamptz IS NULL OR received_at < $2) GROUP BY 1, 2 ORDER BY 2`,
      [filter.projectId, before?.toISOString() ?? null],
    );
    return rows.map((r) => dayRange(new Date(r.day), Number(r.rows), Number(r.bytes), r.partition));
  }
  const { rows: partitions } = await client.query<{ name: string; bytes: string }>(
    `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'events'::regclass AND c.relname <> 'events_default'`,
  );
  const ranges: EventTimeRange[] = [];
  for (const p of partitions) {
    const m = PARTITION_NAME.exec(p.name);
    if (!m) continue;
    if (before && Date.parse(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`) + DAY_MS > before.getTime()) continue;
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${p.name}`);
    ranges.push(dayRange(new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`), Number(rows[0].n), Number(p.bytes), p.name));
  }
  const { rows: parked } = await client.query<{ day: Date; rows: string; bytes: string }>(
    `SELECT date_trunc('day', received_at, 'UTC') AS day, count(*) AS rows, sum(octet_length(payload)) AS bytes
       FROM events_default WHERE $1::timestamptz IS NULL OR received_at < $1 GROUP BY 1`,
    [before?.toISOString() ?? null],
  );
  for (const r of parked) ranges.push(dayRange(new Date(r.day), Number(r.rows), Number(r.bytes), 'events_default'));
  return ranges.sort((a, b) => a.from.localeCompare(b.from) || (a.partition ?? '').localeCompare(b.partition ?? ''));
}

function dayRange(day: Date, rows: number, bytes: number, partition: string): EventTimeRange {
  return { from: day.toISOString(), to: new Date(day.getTime() + DAY_MS).toISOString(), rows, bytes, partition };
}

/**
 * A project's events in the range in (received_at, event_id) order through a server-side cursor on one
 * connection, fetched `limit` rows at a time: the range is read and sorted once (a keyset query per chunk
 * would sort the whole day again for every chunk, as no index leads with received_at). The cursor lives
 * in a read-only transaction that ends when the reader finishes or stops early.
 */
export async function* readEventsWithCursor(client: PgClient, projectId: number, range: TimeRange, limit: number): AsyncGenerator<EventRecord> {
  await client.query('BEGIN READ ONLY');
  let done = false;
  try {
    await client.query(
      `DECLARE faultline_event_stream NO SCROLL CURSOR FOR
       SELECT project_id, replace(event_id::text, '-', '') AS event_id, issue_id, received_at,
              "timestamp", level, release, environment, payload
         FROM events
        WHERE project_id = $1 AND received_at >= $2 AND received_at < $3
        ORDER BY received_at, event_id`,
      [projectId, range.from.toISOString(), range.to.toISOString()],
    );
    for (;;) {
      const { rows } = await client.query<RecordRow>(`FETCH ${limit} FROM faultline_event_stream`);
      for (const row of rows) yield toRecord(row);
      if (rows.length < limit) break;
    }
    await client.query('COMMIT');
    done = true;
  } finally {
    if (!done) await client.query('ROLLBACK').catch(() => undefined);
  }
}

function toRecord(row: RecordRow): EventRecord {
  return {
    projectId: Number(row.project_id),
    eventId: row.event_id,
    issueId: String(row.issue_id),
    receivedAt: toIso(row.received_at),
    timestamp: row.timestamp === null ? null : toIso(row.timestamp),
    level: row.level,
    release: row.release,
    environment: row.environment,
    payload: encoder.encode(row.payload),
  };
}

/**
 * Without a project: detaches and drops the daily partitions that lie wholly inside the range, then deletes what is
 * left in it (partial days, the default partition). With one: deletes that project's rows. Runs under the
 * partition lock so partition upkeep does not race it.
 */
export async function dropEvents(client: PgClient, range: TimeRange & { projectId?: number }): Promise<{ events: number }> {
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  if (range.projectId !== undefined) {
    const { rowCount } = await client.query('DELETE FROM events WHERE project_id = $1 AND received_at >= $2 AND received_at < $3', [
      range.projectId,
      from,
      to,
    ]);
    return { events: rowCount ?? 0 };
  }
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY]);
    let events = 0;
    for (const name of await partitionNames(client)) {
      const m = PARTITION_NAME.exec(name);
      if (!m) continue;
      const start = Date.parse(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`);
      if (start < range.from.getTime() || start + DAY_MS > range.to.getTime()) continue;
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`);
      events += Number(rows[0].n);
      // Detached first, so the parent's partition bounds no longer name it; the DROP then frees its files
      // at commit (no dead rows left for VACUUM, unlike a DELETE).
      await client.query(`ALTER TABLE events DETACH PARTITION ${name}`);
      await client.query(`DROP TABLE ${name}`);
    }
    const { rowCount } = await client.query('DELETE FROM events WHERE received_at >= $1 AND received_at < $2', [from, to]);
    await client.query('COMMIT');
    return { events: events + (rowCount ?? 0) };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Writes archived events back into their daily partitions (made first when dropped), skipping any whose
 * (project, event id) is stored. Restores are serialized by an advisory lock, so two at once cannot both
 * write an event; ingest never writes an archived event again (its id stays in `event_ids`).
 */
export async function restoreEvents(client: PgClient, events: EventRecord[]): Promise<RestoreEventsResult> {
  if (events.length === 0) return { restored: 0, skipped: 0 };
  const days = new Set(events.map((e) => utcDay(new Date(e.receivedAt)).getTime()));
  const names = new Set(await partitionNames(client));
  for (const day of days) if (!names.has(partitionName(new Date(day)))) await createPartition(client, new Date(day));

  const cols = {
    project: [] as number[],
    id: [] as string[],
    issue: [] as string[],
    received: [] as string[],
    ts: [] as (string | null)[],
    level: [] as string[],
    release: [] as (string | null)[],
    env: [] as (string | null)[],
    payload: [] as string[],
  };
  for (const e of events) {
    cols.project.push(e.projectId);
    cols.id.push(e.eventId);
    cols.issue.push(e.issueId);
    cols.received.push(e.receivedAt);
    cols.ts.push(e.timestamp);
    cols.level.push(e.level);
    cols.release.push(e.release);
    cols.env.push(e.environment);
    cols.payload.push(decoder.decode(e.payload));
  }
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [RESTORE_LOCK_KEY]);
    const { rowCount } = await client.query(
      `WITH input AS (
         SELECT DISTINCT ON (project_id, event_id) *
           FROM unnest($1::int[], $2::uuid[], $3::bigint[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::text[])
             AS r(project_id, event_id, issue_id, received_at, ts, level, release, environment, payload)
       ), fresh AS (
         SELECT * FROM input i
          WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.project_id = i.project_id AND e.event_id = i.event_id)
       ), ids AS (
         INSERT INTO event_ids (project_id, event_id, received_at)
         SELECT project_id, event_id, received_at FROM fresh ON CONFLICT DO NOTHING
       )
       INSERT INTO events (project_id, event_id, issue_id, received_at, "timestamp", level, release, environment, payload)
       SELECT project_id, event_id, issue_id, received_at, ts, level, release, environment, payload FROM fresh`,
      [cols.project, cols.id, cols.issue, cols.received, cols.ts, cols.level, cols.release, cols.env, cols.payload],
    );
    await client.query('COMMIT');
    const restored = rowCount ?? 0;
    return { restored, skipped: events.length - restored };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Deletes schedule claims older than `keep`: a slot is only ever claimed when it comes due, so an old
 * claim guards nothing, and an every-minute schedule would otherwise add half a million rows a year.
 */
export async function pruneScheduledRuns(client: PgClient, keep = '7 days'): Promise<number> {
  const { rowCount } = await client.query('DELETE FROM scheduled_runs WHERE claimed_at < now() - $1::interval', [keep]);
  return rowCount ?? 0;
}

/** True for the one caller whose insert adds the (name, slot) row. */
export async function claimScheduledRun(client: PgClient, name: string, slot: string): Promise<boolean> {
  const { rowCount } = await client.query('INSERT INTO scheduled_runs (name, slot) VALUES ($1, $2) ON CONFLICT DO NOTHING', [name, slot]);
  return rowCount === 1;
}
