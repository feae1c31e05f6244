import type { Issue, IssueSearchQuery, Page, TagSummary, TagSummaryQuery } from '@faultline/core';
import type { PgClient } from './connection.js';
import { isIssueId } from './issue-row.js';
import { pageOfIssues } from './issue-queries.js';
import { issueSearchConditions } from './issue-search-sql.js';
import { SqlParams } from './sql-params.js';

/** How many of an issue's latest events a tag summary counts. */
export const TAG_SUMMARY_EVENTS = 10_000;

/** An event condition matching at least this many of the project's events is checked per issue. */
export const PER_ISSUE_FROM_EVENTS = 1000;

/**
 * The whole search language over one project's issues (issue-search-sql.ts). Each event condition (tags,
 * user, stack, free text) is first run through its GIN index for at most PER_ISSUE_FROM_EVENTS events:
 * fewer, and the issues they belong to are the answer, as an id list; as many, and it is common enough
 * to check issue by issue in the sort's order, where the page fills after a few issues.
 */
export async function searchIssues(
  client: PgClient,
  projectId: number,
  query: IssueSearchQuery,
  perIssueFrom = PER_ISSUE_FROM_EVENTS,
): Promise<Page<Issue>> {
  const params = new SqlParams([projectId]);
  const conditions = issueSearchConditions(query.ast, params);
  // perIssueFrom 0 leaves every event condition to PostgreSQL's own plan for EXISTS (tests).
  for (const cond of perIssueFrom > 0 ? conditions.events : []) {
    const { rows } = await client.query<{ n: number; ids: string[] }>(
      `SELECT count(*)::int AS n, coalesce(array_agg(DISTINCT issue_id::text), '{}') AS ids
         FROM (SELECT e.issue_id FROM events e WHERE e.project_id = $1 AND ${cond.probe.sql} LIMIT ${perIssueFrom}) AS m`,
      cond.probe.values,
    );
    cond.scan = rows[0].n >= perIssueFrom ? { kind: 'per-issue' } : { kind: 'issues', ids: rows[0].ids };
  }
  const where = ['project_id = $1', ...conditions.render()];
  const { include, exclude } = query.issues ?? {};
  if (include) where.push(`id = ANY (${params.add(include.filter(isIssueId))}::bigint[])`);
  if (exclude && exclude.length > 0) where.push(`NOT (id = ANY (${params.add(exclude.filter(isIssueId))}::bigint[]))`);
  return pageOfIssues(client, { where, params, sort: query.sort, cursor: query.cursor, limit: query.limit });
}

/**
 * The most frequent values of each tag among the issue's latest events (at most TAG_SUMMARY_EVENTS, read
 * newest first by the issue index), with level, release and environment counted as tags, as Sentry does.
 */
export async function tagSummary(client: PgClient, projectId: number, issueId: string, query: TagSummaryQuery): Promise<TagSummary[]> {
  if (!isIssueId(issueId)) return [];
  const { rows } = await client.query<{ key: string; value: string; n: number }>(
    `WITH recent AS (
       SELECT fields, level, release, environment FROM events
        WHERE project_id = $1 AND issue_id = $2
        ORDER BY received_at DESC
        LIMIT $3
     ), pairs AS (
       SELECT kv.key, kv.value, count(*)::int AS n
         FROM recent,
              jsonb_each_text(coalesce(recent.fields -> 't', '{}'::jsonb)
                || jsonb_strip_nulls(jsonb_build_object('level', level, 'release', release, 'environment', environment))) AS kv
        GROUP BY 1, 2
     ), ranked AS (
       SELECT key, value, n, row_number() OVER (PARTITION BY key ORDER BY n DESC, value) AS r FROM pairs
     )
     SELECT key, value, n FROM ranked WHERE r <= $4 ORDER BY key, n DESC, value`,
    [projectId, issueId, TAG_SUMMARY_EVENTS, query.valuesPerTag],
  );
  const summary: TagSummary[] = [];
  for (const row of rows) {
    if (summary.at(-1)?.key !== row.key) summary.push({ key: row.key, values: [] });
    summary[summary.length - 1].values.push({ value: row.value, count: row.n });
  }
  return summary;
}
