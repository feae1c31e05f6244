import { FaultlineError, type GroupedEvent, type Issue, type StoreBatchResult } from '@faultline/core';
import type { PgClient } from './connection.js';
import { ISSUE_COLUMNS, normalizeEventId, toIssue, type IssueRow } from './issue-row.js';
import { insertEvents, type EventRowInput } from './event-writer.js';

/**
 * One batch, one transaction, seven statements whatever the batch size:
 *  1. claim event ids in `event_ids` (ON CONFLICT DO NOTHING RETURNING): only new events go on;
 *  2. insert the issues that do not exist yet, complete with the batch's counts (ON CONFLICT DO NOTHING:
 *     a concurrent creator wins, and this batch then updates that issue like any other);
 *  3. lock every issue of the batch FOR UPDATE in (project_id, fingerprint) order and read its status
 *     as it is now (this is how "was resolved" is known exactly; RETURNING cannot see old values);
 *  4. claim (issue, user) pairs in `issue_users` to learn each issue's new users;
 *  5. update every issue it did not create, once: count, users, first/last seen, latest
 *     level/release/environment, reopen;
 *  6. insert the events;
 *  7. upsert the hourly counts.
 * Every multi-row statement takes arrays (unnest) and visits rows in key order, so concurrent workers
 * with overlapping batches wait for each other instead of deadlocking.
 */
export async function storeBatch(client: PgClient, events: GroupedEvent[]): Promise<StoreBatchResult> {
  const unique = uniqueEvents(events);
  const fresh = await claimEventIds(client, unique);
  const duplicates = events.length - fresh.length;
  if (fresh.length === 0) return { stored: [], duplicates, created: [], regressed: [] };

  const groups = groupByIssue(fresh);
  const createdIssues = await insertMissingIssues(client, groups);
  const current = await lockIssues(client, groups);
  for (const group of groups) {
    const row = current.get(groupKey(group.projectId, group.fingerprint));
    if (!row) throw new Error(`issue ${group.fingerprint} vanished while storing a batch`);
    group.issueId = row.id;
    group.wasResolved = row.status === 'resolved';
  }
  const issueOf = (e: Claimed) => groups[e.group].issueId;
  const newUsers = await claimUsers(client, fresh, issueOf);
  const updated = await updateIssues(client, groups.filter((g) => !createdIssues.has(g.issueId)), newUsers);

  const rows: EventRowInput[] = fresh.map((e) => ({
    projectId: e.projectId,
    eventId: e.eventId,
    issueId: issueOf(e),
    receivedAt: e.receivedAt,
    source: e.source,
  }));
  await insertEvents(client, rows);
  await upsertHourlyStats(client, fresh, issueOf);

  const created: Issue[] = [];
  const regressed: Issue[] = [];
  for (const group of groups) {
    const fresh = createdIssues.get(group.issueId);
    if (fresh) created.push(fresh);
    const issue = updated.get(group.issueId);
    if (issue && group.wasResolved) regressed.push(issue);
  }
  const inCallerOrder = fresh.map((e, i) => ({ e, row: rows[i] })).sort((a, b) => a.e.index - b.e.index);
  return {
    stored: inCallerOrder.map(({ row: r }) => ({
      projectId: r.projectId,
      eventId: r.eventId,
      issueId: r.issueId,
      receivedAt: r.receivedAt.toISOString(),
    })),
    duplicates,
    created,
    regressed,
  };
}

interface Claimed {
  projectId: number;
  eventId: string;
  receivedAt: Date;
  source: GroupedEvent;
  /** Position in the caller's batch, so `stored` comes back in the caller's order. */
  index: number;
  /** Index into the batch's issue groups. */
  group: number;
}

interface IssueGroup {
  projectId: number;
  fingerprint: string;
  count: number;
  first: GroupedEvent;
  last: GroupedEvent;
  /** Distinct user keys of the batch's events in this group. */
  users: Set<string>;
  issueId: string;
  wasResolved: boolean;
}

const groupKey = (projectId: number, fingerprint: string) => `${projectId}\u0000${fingerprint}`;
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Drops repeats of an event id within the batch (first one wins), validates ids, sorts by key. */
function uniqueEvents(events: GroupedEvent[]): Claimed[] {
  const seen = new Map<string, Claimed>();
  events.forEach((source, index) => {
    const eventId = normalizeEventId(source.eventId);
    if (eventId === null) {
      throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `Event ${index} has an invalid event id`);
    }
    const key = `${source.projectId}:${eventId}`;
    if (!seen.has(key)) {
      seen.set(key, { projectId: source.projectId, eventId, receivedAt: source.receivedAt, source, index, group: -1 });
    }
  });
  return [...seen.values()].sort((a, b) => a.projectId - b.projectId || compareText(a.eventId, b.eventId));
}

async function claimEventIds(client: PgClient, events: Claimed[]): Promise<Claimed[]> {
  if (events.length === 0) return [];
  const { rows } = await client.query<{ project_id: number; event_id: string }>(
    `INSERT INTO event_ids (project_id, event_id, received_at)
     SELECT * FROM unnest($1::int[], $2::uuid[], $3::timestamptz[])
     ON CONFLICT DO NOTHING
     RETURNING project_id, replace(event_id::text, '-', '') AS event_id`,
    [events.map((e) => e.projectId), events.map((e) => e.eventId), events.map((e) => e.receivedAt)],
  );
  const fresh = new Set(rows.map((r) => `${r.project_id}:${r.event_id}`));
  return events.filter((e) => fresh.has(`${e.projectId}:${e.eventId}`));
}

function groupByIssue(events: Claimed[]): IssueGroup[] {
  const byKey = new Map<string, IssueGroup>();
  for (const e of events) {
    const key = groupKey(e.projectId, e.source.fingerprint);
    const group = byKey.get(key);
    if (!group) {
      byKey.set(key, {
        projectId: e.projectId,
        fingerprint: e.source.fingerprint,
        count: 1,
        first: e.source,
        last: e.source,
        users: new Set(e.source.userKey ? [e.source.userKey] : []),
        issueId: '',
        wasResolved: false,
      });
      continue;
    }
    group.count++;
    if (e.source.userKey) group.users.add(e.source.userKey);
    if (e.receivedAt < group.first.receivedAt) group.first = e.source;
    if (e.receivedAt >= group.last.receivedAt) group.last = e.source;
  }
  const groups = [...byKey.values()].sort(
    (a, b) => a.projectId - b.projectId || compareText(a.fingerprint, b.fingerprint),
  );
  const index = new Map(groups.map((g, i) => [groupKey(g.projectId, g.fingerprint), i]));
  for (const e of events) e.group = index.get(groupKey(e.projectId, e.source.fingerprint))!;
  return groups;
}

/** Inserts the batch's issues that do not exist yet, with their final counts; returns them by id. */
async function insertMissingIssues(client: PgClient, groups: IssueGroup[]): Promise<Map<string, Issue>> {
  const { rows } = await client.query<IssueRow>(
    `INSERT INTO issues (project_id, fingerprint, grouping_version, title, culprit, type, value, level, platform,
                         release, environment, first_seen, last_seen, count, user_count)
     SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                          $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[],
                          $14::bigint[], $15::int[])
     ON CONFLICT (project_id, fingerprint) DO NOTHING
     RETURNING ${ISSUE_COLUMNS}`,
    [
      groups.map((g) => g.projectId),
      groups.map((g) => g.fingerprint),
      groups.map((g) => g.first.groupingVersion),
      groups.map((g) => g.first.meta.title),
      groups.map((g) => g.first.meta.culprit),
      groups.map((g) => g.first.meta.type),
      groups.map((g) => g.first.meta.value),
      groups.map((g) => g.last.event.level),
      groups.map((g) => g.first.event.platform),
      groups.map((g) => g.last.event.release ?? null),
      groups.map((g) => g.last.event.environment ?? null),
      groups.map((g) => g.first.receivedAt),
      groups.map((g) => g.last.receivedAt),
      groups.map((g) => g.count),
      groups.map((g) => g.users.size),
    ],
  );
  return new Map(rows.map((row) => [String(row.id), toIssue(row)]));
}

async function lockIssues(client: PgClient, groups: IssueGroup[]): Promise<Map<string, { id: string; status: string }>> {
  const { rows } = await client.query<{ id: string; project_id: number; fingerprint: string; status: string }>(
    `SELECT id, project_id, fingerprint, status FROM issues
      WHERE (project_id, fingerprint) IN (SELECT * FROM unnest($1::int[], $2::text[]))
      ORDER BY project_id, fingerprint COLLATE "C"
      FOR UPDATE`,
    [groups.map((g) => g.projectId), groups.map((g) => g.fingerprint)],
  );
  return new Map(rows.map((r) => [groupKey(r.project_id, r.fingerprint), { id: String(r.id), status: r.status }]));
}

/** New (issue, user) pairs; returns how many new users each issue got. */
async function claimUsers(client: PgClient, events: Claimed[], issueOf: (e: Claimed) => string): Promise<Map<string, number>> {
  const pairs = new Map<string, [number, string, string]>();
  for (const e of events) {
    if (e.source.userKey == null || e.source.userKey === '') continue;
    const issueId = issueOf(e);
    pairs.set(`${e.projectId}\u0000${issueId}\u0000${e.source.userKey}`, [e.projectId, issueId, e.source.userKey]);
  }
  const counts = new Map<string, number>();
  if (pairs.size === 0) return counts;
  const sorted = [...pairs.values()].sort(
    (a, b) => a[0] - b[0] || compareBigint(a[1], b[1]) || compareText(a[2], b[2]),
  );
  const { rows } = await client.query<{ issue_id: string }>(
    `INSERT INTO issue_users (project_id, issue_id, user_key)
     SELECT * FROM unnest($1::int[], $2::bigint[], $3::text[])
     ON CONFLICT DO NOTHING
     RETURNING issue_id`,
    [sorted.map((p) => p[0]), sorted.map((p) => p[1]), sorted.map((p) => p[2])],
  );
  for (const row of rows) counts.set(String(row.issue_id), (counts.get(String(row.issue_id)) ?? 0) + 1);
  return counts;
}

function compareBigint(a: string, b: string): number {
  return a.length - b.length || compareText(a, b);
}

async function updateIssues(client: PgClient, groups: IssueGroup[], newUsers: Map<string, number>): Promise<Map<string, Issue>> {
  if (groups.length === 0) return new Map();
  const { rows } = await client.query<IssueRow>(
    `UPDATE issues i SET
       count = i.count + b.count,
       user_count = i.user_count + b.users,
       first_seen = least(i.first_seen, b.first_seen),
       last_seen = greatest(i.last_seen, b.last_seen),
       level = CASE WHEN b.last_seen >= i.last_seen THEN b.level ELSE i.level END,
       release = CASE WHEN b.last_seen >= i.last_seen THEN b.release ELSE i.release END,
       environment = CASE WHEN b.last_seen >= i.last_seen THEN b.environment ELSE i.environment END,
       status = CASE WHEN i.status = 'resolved' THEN 'unresolved' ELSE i.status END,
       resolved_at = CASE WHEN i.status = 'resolved' THEN NULL ELSE i.resolved_at END
     FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::timestamptz[], $5::timestamptz[], $6::text[],
                 $7::text[], $8::text[]) AS b(id, count, users, first_seen, last_seen, level, release, environment)
     WHERE i.id = b.id
     RETURNING ${ISSUE_COLUMNS.split(',').map((c) => `i.${c.trim()}`).join(', ')}`,
    [
      groups.map((g) => g.issueId),
      groups.map((g) => g.count),
      groups.map((g) => newUsers.get(g.issueId) ?? 0),
      groups.map((g) => g.first.receivedAt),
      groups.map((g) => g.last.receivedAt),
      groups.map((g) => g.last.event.level),
      groups.map((g) => g.last.event.release ?? null),
      groups.map((g) => g.last.event.environment ?? null),
    ],
  );
  return new Map(rows.map((row) => [String(row.id), toIssue(row)]));
}

const HOUR_MS = 3_600_000;

async function upsertHourlyStats(client: PgClient, events: Claimed[], issueOf: (e: Claimed) => string): Promise<void> {
  const buckets = new Map<string, { projectId: number; bucket: number; issueId: string; count: number }>();
  for (const e of events) {
    const bucket = Math.floor(e.receivedAt.getTime() / HOUR_MS) * HOUR_MS;
    const issueId = issueOf(e);
    const key = `${e.projectId}:${bucket}:${issueId}`;
    const entry = buckets.get(key);
    if (entry) entry.count++;
    else buckets.set(key, { projectId: e.projectId, bucket, issueId, count: 1 });
  }
  const sorted = [...buckets.values()].sort(
    (a, b) => a.projectId - b.projectId || a.bucket - b.bucket || compareBigint(a.issueId, b.issueId),
  );
  await client.query(
    `WITH b (project_id, bucket, issue_id, count) AS (
       SELECT * FROM unnest($1::int[], $2::timestamptz[], $3::bigint[], $4::bigint[])
     ), issue_level AS (
       INSERT INTO issue_stats_hourly AS s (project_id, bucket, issue_id, count)
       SELECT * FROM b
       ON CONFLICT (project_id, bucket, issue_id) DO UPDATE SET count = s.count + excluded.count
     )
     INSERT INTO project_stats_hourly AS p (project_id, bucket, count)
     SELECT project_id, bucket, sum(count) FROM b GROUP BY 1, 2 ORDER BY 1, 2
     ON CONFLICT (project_id, bucket) DO UPDATE SET count = p.count + excluded.count`,
    [
      sorted.map((s) => s.projectId),
      sorted.map((s) => new Date(s.bucket)),
      sorted.map((s) => s.issueId),
      sorted.map((s) => s.count),
    ],
  );
}
