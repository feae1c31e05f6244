import type { Issue } from '@faultline/core';
import type { PgClient } from './connection.js';
import { compareBigint, groupKey, type Claimed, type IssueGroup } from './batch-groups.js';
import { ISSUE_COLUMNS, toIssue, type IssueRow } from './issue-row.js';
import type { IssueTagRow } from './tag-counts.js';
import type { UserPairRow } from './user-pairs.js';
import type { IssueText } from './search-columns.js';
import type { IssueTextCache } from './issue-text-cache.js';
import { SqlLiterals } from './sql-literal.js';
import { ensurePrepared, execute, type PreparedStatement } from './prepared-statements.js';

const CLAIM_EVENTS: PreparedStatement = {
  name: 'faultline_claim_events',
  types: 'int[], uuid[], timestamptz[], int[], text[], bigint[]',
  body: `WITH claimed AS (
       INSERT INTO event_ids (project_id, event_id, received_at)
       SELECT * FROM unnest($1::int[], $2::uuid[], $3::timestamptz[])
       ON CONFLICT DO NOTHING
       RETURNING project_id, replace(event_id::text, '-', '') AS key
     )
     SELECT NULL::text AS id, project_id, key, NULL AS title, NULL AS type, NULL AS value, NULL::jsonb AS frames FROM claimed
     UNION ALL
     SELECT id::text, project_id, fingerprint,
            CASE WHEN known THEN NULL ELSE title END, CASE WHEN known THEN NULL ELSE type END,
            CASE WHEN known THEN NULL ELSE value END,
            CASE WHEN known THEN NULL ELSE (SELECT frames FROM issue_frames f WHERE f.issue_id = i.id) END
       FROM (SELECT id, project_id, fingerprint, title, type, value, id = ANY ($6::bigint[]) AS known FROM issues
              WHERE (project_id, fingerprint) IN (SELECT * FROM unnest($4::int[], $5::text[]))) AS i`,
};

/**
 * BEGIN; claims the event ids (returns the new events) and reads the ids of the issues that exist, with
 * the text and frames they are found by themselves (search-columns.ts leaves those out of their events'):
 * read from PostgreSQL only for the issues `cache` does not hold under the id they have. The
 * batch's prepared statements run with generic plans: planned once per connection, not per batch (their
 * arrays are small and every plan is index lookups by key, whatever the values).
 */
export async function claimAndFindIssues(
  client: PgClient,
  sql: SqlLiterals,
  events: Claimed[],
  issues: { projectIds: number[]; fingerprints: string[] },
  cache: IssueTextCache | undefined,
): Promise<{ fresh: Claimed[]; issueIds: Map<string, string>; issueTexts: Map<string, IssueText> }> {
  await ensurePrepared(client, BATCH_STATEMENTS);
  const known = cache === undefined ? new Map<string, IssueText>() : cache.known(issues.projectIds.map((p, i) => groupKey(p, issues.fingerprints[i])));
  const claim = execute(client, CLAIM_EVENTS, [
    sql.ints(events.map((e) => e.projectId)),
    sql.uuids(events.map((e) => e.eventId)),
    sql.times(events.map((e) => e.receivedAt)),
    sql.ints(issues.projectIds),
    sql.texts(issues.fingerprints),
    sql.ids([...known.keys()]),
  ]);
  const results = (await client.query(`BEGIN; SET LOCAL plan_cache_mode = force_generic_plan; ${claim}`)) as unknown as {
    rows: ({ id: string | null; project_id: number; key: string } & (IssueText | { [K in keyof IssueText]: null }))[];
  }[];
  const claimed = new Set<string>();
  const issueIds = new Map<string, string>();
  const issueTexts = new Map<string, IssueText>();
  for (const r of results[2].rows) {
    if (r.id === null) claimed.add(`${r.project_id}:${r.key}`);
    else {
      const key = groupKey(r.project_id, r.key);
      issueIds.set(key, r.id);
      if (r.title === null) issueTexts.set(r.id, known.get(r.id)!);
      else {
        const text: IssueText = { title: r.title, type: r.type, value: r.value, frames: r.frames };
        issueTexts.set(r.id, text);
        cache?.set(key, r.id, text);
      }
    }
  }
  return { fresh: events.filter((e) => claimed.has(`${e.projectId}:${e.eventId}`)), issueIds, issueTexts };
}

/**
 * Inserts issues with their final counts, and the frames of those that have some (`issue_frames`, migration
 * 0013); returns the ones this batch created, by group key.
 */
export async function insertMissingIssues(client: PgClient, groups: IssueGroup[]): Promise<Map<string, Issue>> {
  const { rows } = await client.query<IssueRow>(
    `WITH b AS (
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[],
                            $14::bigint[], $15::int[], $16::jsonb[])
         AS b(project_id, fingerprint, grouping_version, title, culprit, type, value, level, platform,
              release, environment, first_seen, last_seen, count, user_count, frames)
     ), created AS (
       INSERT INTO issues (project_id, fingerprint, grouping_version, title, culprit, type, value, level, platform,
                           release, environment, first_seen, last_seen, count, user_count)
       SELECT project_id, fingerprint, grouping_version, title, culprit, type, value, level, platform,
              release, environment, first_seen, last_seen, count, user_count FROM b
       ON CONFLICT (project_id, fingerprint) DO NOTHING
       RETURNING ${ISSUE_COLUMNS}
     ), frames AS (
       INSERT INTO issue_frames (issue_id, project_id, frames)
       SELECT created.id, created.project_id, b.frames FROM created
         JOIN b ON b.project_id = created.project_id AND b.fingerprint = created.fingerprint
        WHERE b.frames IS NOT NULL
     )
     SELECT * FROM created`,
    [
      groups.map((g) => g.projectId),
      groups.map((g) => g.fingerprint),
      groups.map((g) => g.first.groupingVersion),
      groups.map((g) => g.first.meta.title),
      groups.map((g) => g.first.meta.culprit),
      groups.map((g) => g.first.meta.type),
      groups.map((g) => g.first.meta.value),
      groups.map((g) => g.last.level),
      groups.map((g) => g.first.platform),
      groups.map((g) => g.last.release),
      groups.map((g) => g.last.environment),
      groups.map((g) => g.firstSeen),
      groups.map((g) => g.lastSeen),
      groups.map((g) => g.count),
      groups.map((g) => g.users.size),
      groups.map((g) => (g.frames ? JSON.stringify(g.frames) : null)),
    ],
  );
  return new Map(rows.map((row) => [groupKey(row.project_id, row.fingerprint), toIssue(row)]));
}

/** Ids of issues another batch created after this one looked (its insert waited for theirs to commit). */
export async function findIssueIds(client: PgClient, groups: IssueGroup[]): Promise<Map<string, string>> {
  const { rows } = await client.query<{ id: string; project_id: number; fingerprint: string }>(
    `SELECT id::text, project_id, fingerprint FROM issues
      WHERE (project_id, fingerprint) IN (SELECT * FROM unnest($1::int[], $2::text[]))`,
    [groups.map((g) => g.projectId), groups.map((g) => g.fingerprint)],
  );
  return new Map(rows.map((r) => [groupKey(r.project_id, r.fingerprint), r.id]));
}

const HOUR_MS = 3_600_000;

const UPDATE_ISSUES: PreparedStatement = {
  name: 'faultline_update_issues',
  types: `int[], bigint[], text[], bigint[], bigint[], timestamptz[], timestamptz[], text[], text[], text[],
          int[], timestamptz[], bigint[], bigint[], int[], timestamptz[], bigint[],
          bigint[], text[], text[], text[], text[]`,
  // A pair's user fields become its search terms when it is new (migration 0010); \`xmax = 0\` tells the
  // rows inserted from the ones updated, as the issue's user count needs.
  body: `WITH pairs AS (
       INSERT INTO issue_users AS u (project_id, issue_id, user_key, times_seen, terms)
       SELECT p, i, k, n, nullif(array_remove(ARRAY['id:' || uid, 'email:' || em, 'username:' || un, 'ip:' || ip], NULL), '{}')
         FROM unnest($1::int[], $2::bigint[], $3::text[], $18::bigint[], $19::text[], $20::text[], $21::text[], $22::text[])
           AS b(p, i, k, n, uid, em, un, ip)
       ON CONFLICT (project_id, issue_id, user_key) DO UPDATE SET times_seen = u.times_seen + excluded.times_seen
       RETURNING issue_id, xmax = 0 AS inserted
     ), new_users AS (
       SELECT issue_id, count(*)::int AS n FROM pairs WHERE inserted GROUP BY issue_id
     ), locked AS (
       SELECT id, status FROM issues
        WHERE id = ANY ($4::bigint[]) AND (SELECT count(*) FROM new_users) >= 0
        ORDER BY id
        FOR UPDATE
     ), b (id, count, first_seen, last_seen, level, release, environment) AS (
       SELECT * FROM unnest($4::bigint[], $5::bigint[], $6::timestamptz[], $7::timestamptz[], $8::text[], $9::text[], $10::text[])
     ), updated AS (
       UPDATE issues i SET
         count = i.count + b.count,
         user_count = i.user_count + coalesce(nu.n, 0),
         first_seen = least(i.first_seen, b.first_seen),
         last_seen = greatest(i.last_seen, b.last_seen),
         level = CASE WHEN b.last_seen >= i.last_seen THEN b.level ELSE i.level END,
         release = CASE WHEN b.last_seen >= i.last_seen THEN b.release ELSE i.release END,
         environment = CASE WHEN b.last_seen >= i.last_seen THEN b.environment ELSE i.environment END,
         status = CASE WHEN i.status = 'resolved' THEN 'unresolved' ELSE i.status END,
         resolved_at = CASE WHEN i.status = 'resolved' THEN NULL ELSE i.resolved_at END
       FROM locked JOIN b ON b.id = locked.id LEFT JOIN new_users nu ON nu.issue_id = locked.id
       WHERE i.id = locked.id
       RETURNING locked.status AS old_status, ${ISSUE_COLUMNS.split(',').map((c) => `i.${c.trim()}`).join(', ')}
     ), issue_rollup AS (
       INSERT INTO issue_stats_hourly AS s (project_id, bucket, issue_id, count)
       SELECT * FROM unnest($11::int[], $12::timestamptz[], $13::bigint[], $14::bigint[])
       ON CONFLICT (project_id, bucket, issue_id) DO UPDATE SET count = s.count + excluded.count
     ), project_rollup AS (
       INSERT INTO project_stats_hourly AS p (project_id, bucket, count)
       SELECT * FROM unnest($15::int[], $16::timestamptz[], $17::bigint[])
       ON CONFLICT (project_id, bucket) DO UPDATE SET count = p.count + excluded.count
     )
     SELECT * FROM updated WHERE old_status = 'resolved'`,
};

/**
 * The same without counting each user's events (`searchIndex: false`: no tag summaries): a known pair is
 * left as it is, within a batch (its events counted once there) as across batches.
 */
const UPDATE_ISSUES_UNCOUNTED: PreparedStatement = {
  ...UPDATE_ISSUES,
  name: 'faultline_update_issues_uncounted',
  body: UPDATE_ISSUES.body.replace('DO UPDATE SET times_seen = u.times_seen + excluded.times_seen', 'DO NOTHING'),
};

/** The batch's tag counts per (issue, key, value), added to what `issue_tags` has (migration 0009). */
const UPSERT_ISSUE_TAGS: PreparedStatement = {
  name: 'faultline_upsert_issue_tags',
  types: 'int[], bigint[], text[], text[], bigint[], bigint[], bigint[]',
  // Times as epoch milliseconds: formatting two ISO strings per row cost the server more than the rest of the row.
  body: `INSERT INTO issue_tags AS t (project_id, issue_id, key, value, times_seen, first_seen, last_seen)
     SELECT p, i, k, v, n, to_timestamp(f / 1000.0), to_timestamp(l / 1000.0)
       FROM unnest($1::int[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[]) AS b(p, i, k, v, n, f, l)
     ON CONFLICT (project_id, issue_id, key, value) DO UPDATE SET
       times_seen = t.times_seen + excluded.times_seen,
       first_seen = least(t.first_seen, excluded.first_seen),
       last_seen = greatest(t.last_seen, excluded.last_seen)`,
};

/** What claimAndFindIssues prepares on each connection. */
const BATCH_STATEMENTS = [CLAIM_EVENTS, UPDATE_ISSUES, UPDATE_ISSUES_UNCOUNTED, UPSERT_ISSUE_TAGS];

/**
 * The batch's last statements, then COMMIT, in one message: the issue tags (`tags`, in key order), then
 * the user pairs (`users`, in key order) and the issues. Returns the issues it reopened (they were resolved: a
 * regression), read from the rows the update locked, so the status before it is exact; the other
 * updated rows stay in the database rather than cross the wire for nothing. The lock order is forced, not left to the plan: the user
 * pairs are claimed inside an init plan of the locking CTE, so before any issue is locked; the issues
 * are locked in id order; the rollups are upserted after the main query (unreferenced data-modifying
 * CTEs run to completion at its end), each in key order. The tag rows, locked before all of these, are
 * the batch's only locks on them.
 */
export async function updateIssuesAndCommit(
  client: PgClient,
  sql: SqlLiterals,
  events: Claimed[],
  groups: IssueGroup[],
  issueOf: (e: Claimed) => string,
  tags: IssueTagRow[],
  users: UserPairRow[],
  countUsers = true,
): Promise<Issue[]> {
  const existing = groups.filter((g) => !g.created).sort((a, b) => compareBigint(a.issueId, b.issueId));
  const { issueRows, projectRows } = hourlyCounts(events, issueOf);
  const update = execute(client, countUsers ? UPDATE_ISSUES : UPDATE_ISSUES_UNCOUNTED, [
    sql.ints(users.map((u) => u.projectId)),
    sql.ids(users.map((u) => u.issueId)),
    sql.texts(users.map((u) => u.userKey)),
    sql.ids(existing.map((g) => g.issueId)),
    sql.ints(existing.map((g) => g.count), 'bigint'),
    sql.times(existing.map((g) => g.firstSeen)),
    sql.times(existing.map((g) => g.lastSeen)),
    sql.texts(existing.map((g) => g.last.level)),
    sql.texts(existing.map((g) => g.last.release)),
    sql.texts(existing.map((g) => g.last.environment)),
    sql.ints(issueRows.map((r) => r.projectId)),
    sql.times(issueRows.map((r) => new Date(r.bucket))),
    sql.ids(issueRows.map((r) => r.issueId)),
    sql.ints(issueRows.map((r) => r.count), 'bigint'),
    sql.ints(projectRows.map((r) => r.projectId)),
    sql.times(projectRows.map((r) => new Date(r.bucket))),
    sql.ints(projectRows.map((r) => r.count), 'bigint'),
    sql.ints(users.map((u) => u.count), 'bigint'),
    sql.texts(users.map((u) => u.fields?.['user.id'])),
    sql.texts(users.map((u) => u.fields?.['user.email'])),
    sql.texts(users.map((u) => u.fields?.['user.username'])),
    sql.texts(users.map((u) => u.fields?.['user.ip'])),
  ]);
  const upsertTags = tags.length === 0 ? '' : `${execute(client, UPSERT_ISSUE_TAGS, issueTagArgs(sql, tags))}; `;
  const results = (await client.query(`${upsertTags}${update}; COMMIT`)) as unknown as { rows: IssueRow[] }[];
  return results[upsertTags === '' ? 0 : 1].rows.map(toIssue);
}

/** Issue tag counts added to `issue_tags` in one statement of their own (issue-tag-writer.ts), rows in key order. */
export async function upsertIssueTags(client: PgClient, tags: IssueTagRow[]): Promise<void> {
  const args = issueTagArgs(new SqlLiterals(client), tags);
  await client.query(UPSERT_ISSUE_TAGS.body.replace(/\$(\d+)/g, (_, n: string) => `(${args[Number(n) - 1]})`));
}

function issueTagArgs(sql: SqlLiterals, tags: IssueTagRow[]): string[] {
  return [
    sql.ints(tags.map((t) => t.projectId)),
    sql.ids(tags.map((t) => t.issueId)),
    sql.texts(tags.map((t) => t.key)),
    sql.texts(tags.map((t) => t.value)),
    sql.ints(tags.map((t) => t.count), 'bigint'),
    sql.ints(tags.map((t) => t.firstSeen), 'bigint'),
    sql.ints(tags.map((t) => t.lastSeen), 'bigint'),
  ];
}

interface HourRow {
  projectId: number;
  bucket: number;
  issueId: string;
  count: number;
}

/** Per (project, hour, issue) and per (project, hour) counts, each in key order. */
function hourlyCounts(events: Claimed[], issueOf: (e: Claimed) => string): { issueRows: HourRow[]; projectRows: HourRow[] } {
  const issues = new Map<string, HourRow>();
  const projects = new Map<string, HourRow>();
  for (const e of events) {
    const bucket = Math.floor(e.receivedAt.getTime() / HOUR_MS) * HOUR_MS;
    const issueId = issueOf(e);
    const add = (map: Map<string, HourRow>, key: string, id: string) => {
      const row = map.get(key);
      if (row) row.count++;
      else map.set(key, { projectId: e.projectId, bucket, issueId: id, count: 1 });
    };
    add(issues, `${e.projectId}:${bucket}:${issueId}`, issueId);
    add(projects, `${e.projectId}:${bucket}`, '0');
  }
  const order = (a: HourRow, b: HourRow) => a.projectId - b.projectId || a.bucket - b.bucket || compareBigint(a.issueId, b.issueId);
  return { issueRows: [...issues.values()].sort(order), projectRows: [...projects.values()].sort(order) };
}
