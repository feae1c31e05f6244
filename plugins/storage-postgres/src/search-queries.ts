import type { Issue, IssueSearchQuery, Page, TagSummary, TagSummaryQuery } from '@faultline/core';
import type { PgClient } from './connection.js';
import { isIssueId } from './issue-row.js';
import { pageOfIssues, type IssueWalk } from './issue-queries.js';
import { issueSearchConditions, sourceRows, type EventCondition } from './issue-search-sql.js';
import { USER_FIELDS } from './user-pairs.js';
import { SqlParams } from './sql-params.js';

/** An event or tag condition matching at least this many of the project's events or tags is checked per issue. */
export const PER_ISSUE_FROM_EVENTS = 1000;
/**
 * A negated tag or user condition checked per issue walks at most this many issues (an eighth first, to
 * see whether the rest would fill the page) before the rest of the page reads its matches into a hashed
 * set: walking them all costs about what building the set of a common tag does on bench:query's 50k
 * issues (the README has both).
 */
export const WALK_ISSUES = 2000;

/**
 * The whole search language over one project's issues (issue-search-sql.ts). Each event condition (stack,
 * free text) is first run through its GIN index for at most PER_ISSUE_FROM_EVENTS events, each tag
 * condition through the issue tags' lookup index and each user condition through the users' terms index
 * for as many rows: fewer, and the issues they belong to are the answer, as an id list; as many, and it is
 * common enough to check issue by issue in the sort's order, where the page fills after a few issues. A
 * negated one that common is true for few issues: it is checked issue by issue on the first WALK_ISSUES
 * issues, then read once into a hashed set (pageOfIssues' IssueWalk).
 */
export async function searchIssues(
  client: PgClient,
  projectId: number,
  query: IssueSearchQuery,
  perIssueFrom = PER_ISSUE_FROM_EVENTS,
  walkIssues = WALK_ISSUES,
): Promise<Page<Issue>> {
  const conditions = issueSearchConditions(query.ast);
  // perIssueFrom 0 leaves every event condition to PostgreSQL's own plan for EXISTS (tests).
  for (const cond of perIssueFrom > 0 ? conditions.events : []) {
    const probe = new SqlParams([projectId]);
    const { rows } = await client.query<{ n: number; ids: string[] }>(
      `SELECT count(*)::int AS n, coalesce(array_agg(DISTINCT issue_id::text), '{}') AS ids
         FROM (SELECT ${sourceRows(cond.source, '$1')} AND ${cond.build(probe)} LIMIT ${perIssueFrom}) AS m`,
      probe.values,
    );
    cond.scan = rows[0].n >= perIssueFrom ? { kind: 'per-issue' } : { kind: 'issues', ids: rows[0].ids };
  }
  const walked = conditions.events.filter((c) => c.negated && c.source !== 'events' && c.scan.kind === 'per-issue');
  const isWalked = (cond: EventCondition | null) => cond !== null && walked.includes(cond);
  const matching = (params: SqlParams, which: (cond: EventCondition | null) => boolean) => {
    const where = ['project_id = $1', ...conditions.render(params, which)];
    const { include, exclude } = query.issues ?? {};
    if (include) where.push(`id = ANY (${params.add(include.filter(isIssueId))}::bigint[])`);
    if (exclude && exclude.length > 0) where.push(`NOT (id = ANY (${params.add(exclude.filter(isIssueId))}::bigint[]))`);
    return where;
  };
  const params = new SqlParams([projectId]);
  const page = { params, sort: query.sort, cursor: query.cursor, limit: query.limit };
  if (walked.length === 0) return pageOfIssues(client, { ...page, where: matching(params, () => true) });
  const where = matching(params, (cond) => !isWalked(cond));
  const walk: IssueWalk = {
    where: conditions.render(params, isWalked),
    issues: walkIssues,
    rest: () => {
      for (const cond of walked) cond.scan = { kind: 'hashed' };
      const rest = new SqlParams([projectId]);
      return { where: matching(rest, () => true), params: rest };
    },
  };
  return pageOfIssues(client, { ...page, where, walk });
}

/** `issue_users` terms (`email:…`) back to the user field keys of tag summaries (`user.email`). */
const USER_KEY_SQL = `CASE split_part(term, ':', 1) ${Object.entries(USER_FIELDS)
  .map(([key, prefix]) => `WHEN '${prefix}' THEN '${key}'`)
  .join(' ')} END`;

/** The user fields of a tag summary come from this many of the issue's most frequent users per value asked for. */
const TOP_USERS_PER_VALUE = 10;

/**
 * The most frequent values of each tag of an issue, from its tag counts (`issue_tags`, counted as its
 * events were stored): exact, and as fast for an issue of millions of events as for one of ten. Level,
 * release and environment are among them, as Sentry has them, and the user fields (`user.email`, ...)
 * of the issue's most frequent users (`issue_users`), each user's events under the fields they had when
 * they first met the issue: exact for the field users are told apart by (their id, mostly), the top of the
 * others. Adding up every user's fields took longer than the rest of the summary for an issue of thousands.
 */
export async function tagSummary(client: PgClient, projectId: number, issueId: string, query: TagSummaryQuery): Promise<TagSummary[]> {
  if (!isIssueId(issueId)) return [];
  const { rows } = await client.query<{ key: string; value: string; n: string }>(
    `SELECT key, value, times_seen AS n
       FROM (SELECT key, value, times_seen, row_number() OVER (PARTITION BY key ORDER BY times_seen DESC, value) AS r
               FROM (SELECT key, value, times_seen FROM issue_tags WHERE project_id = $1 AND issue_id = $2
                     UNION ALL
                     SELECT ${USER_KEY_SQL} COLLATE "C", substr(term, strpos(term, ':') + 1) COLLATE "C", sum(times_seen)::bigint
                       FROM (SELECT terms, times_seen FROM issue_users WHERE project_id = $1 AND issue_id = $2
                              ORDER BY times_seen DESC LIMIT $3 * ${TOP_USERS_PER_VALUE}) AS top, unnest(terms) AS term
                      GROUP BY term) AS counted) AS ranked
      WHERE r <= $3
      ORDER BY key, times_seen DESC, value`,
    [projectId, issueId, query.valuesPerTag],
  );
  const summary: TagSummary[] = [];
  for (const row of rows) {
    if (summary.at(-1)?.key !== row.key) summary.push({ key: row.key, values: [] });
    summary[summary.length - 1].values.push({ value: row.value, count: Number(row.n) });
  }
  return summary;
}
