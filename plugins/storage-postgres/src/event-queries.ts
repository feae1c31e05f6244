import {
  decodePayload,
  EVENT_ORDERS,
  FaultlineError,
  type EventOrder,
  type IssueEventsQuery,
  type Page,
  type StatsPoint,
  type StatsQuery,
  type StoredEvent,
} from '@faultline/core';
import type { PgClient } from './connection.js';
import { decodeCursor, encodeCursor, twoWayPage } from './cursor.js';
import { isIssueId, normalizeEventId, toIso } from './issue-row.js';
import { pageSize } from './issue-queries.js';

interface EventRow {
  project_id: number;
  event_id: string;
  issue_id: string;
  received_at: Date | string;
  received_key: string;
  payload: string;
}

const eventColumns = (t: string) => `${t}.project_id, replace(${t}.event_id::text, '-', '') AS event_id, ${t}.issue_id,
  ${t}.received_at, ${t}.received_at::text AS received_key, ${t}.payload`;
const TIME_KEY = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;
/** A stats query may return at most this many points. */
export const MAX_STATS_POINTS = 5000;

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.event_id,
    issueId: String(row.issue_id),
    projectId: Number(row.project_id),
    receivedAt: toIso(row.received_at),
    event: decodePayload(row.payload),
  };
}

/**
 * An issue's events, newest first: keyset on (received_at DESC, event_id ASC), the order of the
 * `(project_id, issue_id, received_at DESC, event_id)` index read forwards; oldest first (`asc`) and
 * reading back from a `prev` cursor flip both keys, the same index read backwards.
 */
export async function listIssueEvents(client: PgClient, issueId: string, page: IssueEventsQuery): Promise<Page<StoredEvent>> {
  const limit = pageSize(page.limit);
  const order = page.order ?? 'desc';
  if (!EVENT_ORDERS.includes(order)) {
    throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', 'order must be "desc" or "asc"', { path: 'order' });
  }
  let from: { backwards: boolean; position: { value: string; id: string } } | null = null;
  if (page.cursor !== undefined) {
    const position = decodeCursor(page.cursor, [eventCursorKind(order, false), eventCursorKind(order, true)]);
    if (!TIME_KEY.test(position.value) || normalizeEventId(position.id) !== position.id) {
      throw new FaultlineError('FAULTLINE_ERR_QUERY_CURSOR', 'Cursor is not one this server issued');
    }
    from = { backwards: position.kind === eventCursorKind(order, true), position };
  }
  if (!isIssueId(issueId)) return { data: [], nextCursor: null, prevCursor: null };
  const newestFirst = (order === 'desc') !== (from?.backwards ?? false);
  const params: unknown[] = [issueId, limit + 1];
  let keyset = '';
  if (from) {
    params.push(from.position.value, from.position.id);
    keyset = newestFirst
      ? `AND (received_at < $3::timestamptz OR (received_at = $3::timestamptz AND event_id > $4::uuid))`
      : `AND (received_at > $3::timestamptz OR (received_at = $3::timestamptz AND event_id < $4::uuid))`;
  }
  const { rows } = await client.query<EventRow>(
    `SELECT ${eventColumns('events')} FROM events
      WHERE project_id = (SELECT project_id FROM issues WHERE id = $1) AND issue_id = $1 ${keyset}
      ORDER BY ${newestFirst ? 'received_at DESC, event_id ASC' : 'received_at ASC, event_id DESC'}
      LIMIT $2`,
    params,
  );
  return twoWayPage(
    rows,
    limit,
    toStoredEvent,
    from,
    (position, backwards) => encodeCursor({ kind: eventCursorKind(order, backwards), ...position }),
    (row) => ({ value: row.received_key, id: row.event_id }),
  );
}

/** `events` (newest first, reading on), as cursors were before orders; `:asc` and `:prev` mark the others. */
function eventCursorKind(order: EventOrder, backwards: boolean): string {
  return `events${order === 'asc' ? ':asc' : ''}${backwards ? ':prev' : ''}`;
}

/**
 * One event by id within some projects (null: any). `event_ids` gives the received_at, so the events
 * lookup is pruned to one partition at run time.
 */
export async function getEvent(client: PgClient, eventId: string, projectIds: number[] | null): Promise<StoredEvent | null> {
  const id = normalizeEventId(eventId);
  if (id === null || (projectIds !== null && projectIds.length === 0)) return null;
  const { rows } = await client.query<EventRow>(
    `SELECT ${eventColumns('e')}
       FROM event_ids k
       JOIN LATERAL (
         SELECT * FROM events e
          WHERE e.project_id = k.project_id AND e.event_id = k.event_id AND e.received_at = k.received_at
       ) e ON true
      WHERE k.event_id = $1
        AND k.project_id = ANY (coalesce($2::int[], ARRAY(SELECT id FROM projects)))
      LIMIT 1`,
    [id, projectIds],
  );
  return rows[0] ? toStoredEvent(rows[0]) : null;
}

/** Counts per hour or UTC day from the hourly rollup, every bucket present (zeros included). */
export async function eventStats(client: PgClient, projectId: number, query: StatsQuery): Promise<StatsPoint[]> {
  const { since, until, interval } = query;
  if (interval !== 'hour' && interval !== 'day') {
    throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', 'interval must be "hour" or "day"', { path: 'interval' });
  }
  if (!(since instanceof Date) || !(until instanceof Date) || Number.isNaN(since.getTime()) || Number.isNaN(until.getTime()) || until <= since) {
    throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', 'since must be a time before until', { path: 'since' });
  }
  const step = interval === 'hour' ? 3_600_000 : 86_400_000;
  if ((until.getTime() - since.getTime()) / step > MAX_STATS_POINTS) {
    throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', `At most ${MAX_STATS_POINTS} points per query`, { path: 'since' });
  }
  if (query.issueId !== undefined && !isIssueId(query.issueId)) return [];
  // A project's counts come from its own rollup (one row per hour), an issue's from the issue rollup.
  const [table, issueFilter] =
    query.issueId === undefined ? ['project_stats_hourly', ''] : ['issue_stats_hourly', 'AND issue_id = $5::bigint'];
  const { rows } = await client.query<{ t: Date | string; count: string }>(
    `WITH series AS (
       SELECT generate_series(
                date_trunc($2, $3::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
                $4::timestamptz - interval '1 microsecond',
                ('1 ' || $2)::interval) AS t
     ), counts AS (
       SELECT date_trunc($2, bucket AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS t, sum(count) AS count
         FROM ${table}
        WHERE project_id = $1 ${issueFilter}
          AND bucket >= date_trunc($2, $3::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
          AND bucket < $4::timestamptz
        GROUP BY 1
     )
     SELECT series.t, coalesce(counts.count, 0)::text AS count
       FROM series LEFT JOIN counts USING (t)
      ORDER BY series.t`,
    query.issueId === undefined ? [projectId, interval, since, until] : [projectId, interval, since, until, query.issueId],
  );
  return rows.map((row) => ({ t: toIso(row.t), count: Number(row.count) }));
}
