import {
  FaultlineError,
  ISSUE_SORTS,
  ISSUE_STATUSES,
  MAX_ISSUE_OFFSET,
  type Issue,
  type IssueQuery,
  type IssueSearchQuery,
  type IssueSort,
  type IssueStatus,
  type Page,
} from '@faultline/core';
import type { PgClient } from './connection.js';
import { decodeCursor, encodeCursor, keysetPage } from './cursor.js';
import { ISSUE_COLUMNS, isIssueId, toIssue, type IssueRow } from './issue-row.js';
import { SqlParams } from './sql-params.js';

/** Sort column per sort name; each has a `(project_id, <column> DESC, id DESC)` index. */
const SORT_COLUMNS = { last_seen: 'last_seen', first_seen: 'first_seen', count: 'count' } as const;
const TIME_KEY = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;
export const MAX_PAGE_SIZE = 1000;

/**
 * Keyset pagination on (sort value, id), newest/biggest first. Sort values only grow while events arrive
 * (last_seen, count) or never change (first_seen), so an issue that moves can only move ahead of the
 * cursor: later pages never repeat an issue.
 */
export async function listIssues(client: PgClient, projectId: number, query: IssueQuery): Promise<Page<Issue>> {
  const params = new SqlParams([projectId]);
  const where = ['project_id = $1'];
  if (query.status !== undefined) where.push(`status = ${params.add(query.status)}`);
  if (query.level !== undefined) where.push(`level = ${params.add(query.level)}`);
  if (query.release !== undefined) where.push(`release = ${params.add(query.release)}`);
  if (query.environment !== undefined) where.push(`environment = ${params.add(query.environment)}`);
  if (query.text !== undefined && query.text.trim() !== '') {
    where.push(`search @@ websearch_to_tsquery('simple', ${params.add(query.text)})`);
  }
  return pageOfIssues(client, { where, params, sort: query.sort, cursor: withOffset(query).cursor, limit: query.limit });
}

/**
 * The query with its `offset` as a cursor: a position in an issue list is either after a row (keyset) or
 * after n rows (offset), and both travel as the cursor, so pageOfIssues gives every list (the search
 * language's too) random access.
 */
export function withOffset<Q extends IssueQuery | IssueSearchQuery>(query: Q): Q {
  if (query.total && query.cursor !== undefined) {
    throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', 'total is counted for pages asked for by offset, not by cursor', { path: 'total' });
  }
  if (query.offset === undefined && !query.total) return query;
  const offset = query.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_ISSUE_OFFSET) {
    throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', `offset must be an integer from 0 to ${MAX_ISSUE_OFFSET}`, { path: 'offset' });
  }
  if (query.cursor !== undefined) throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', 'Give either cursor or offset, not both', { path: 'offset' });
  // The position's id says whether to count.
  const position = { kind: `issues:${query.sort}:offset`, value: String(offset), id: query.total ? 'total' : '' };
  return { ...query, offset: undefined, total: undefined, cursor: encodeCursor(position) };
}

/**
 * A condition checked issue by issue, in the sort's order, on at most `issues` issues: cheap when the page
 * fills among the first few issues, dear when matches are rare. Past those issues, the rest of the page
 * comes from `rest`: the same search with the condition in a form whose cost does not grow with the
 * issues it passes over (a hashed set, say), in a statement of its own.
 */
export interface IssueWalk {
  where: string[];
  issues: number;
  rest(): { where: string[]; params: SqlParams };
}

/**
 * One page of the issues matching `where` (SQL over the issues table, unqualified or as `issues`, with
 * its values in `params`), in the sort's order from the cursor on. An offset cursor (withOffset) skips
 * that many issues, finding the page's ids first so that the issues skipped are never read whole; when
 * asked, it counts the matches up to MAX_ISSUE_OFFSET as `total`, which bounds the count's cost whatever
 * the conditions (a search condition checked per issue included). `walk` adds conditions checked as
 * IssueWalk says, on keyset pages (offset pages and counts take `walk.rest()` instead).
 */
export async function pageOfIssues(
  client: PgClient,
  q: { where: string[]; params: SqlParams; sort: IssueSort; cursor?: string; limit: number; walk?: IssueWalk },
): Promise<Page<Issue>> {
  if (!ISSUE_SORTS.includes(q.sort)) {
    throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', `Unknown sort "${String(q.sort)}"`);
  }
  const limit = pageSize(q.limit);
  const column = SORT_COLUMNS[q.sort];
  let offset: number | null = null;
  let count = false;
  let after: { value: string; id: string } | null = null;
  if (q.cursor !== undefined) {
    const position = decodeCursor(q.cursor, [`issues:${q.sort}`, `issues:${q.sort}:offset`]);
    if (position.kind.endsWith(':offset')) {
      offset = /^\d{1,6}$/.test(position.value) && (position.id === '' || position.id === 'total') ? Number(position.value) : NaN;
      if (!(offset <= MAX_ISSUE_OFFSET)) throw new FaultlineError('FAULTLINE_ERR_QUERY_CURSOR', 'Cursor is not one this server issued');
      count = position.id === 'total';
    } else {
      const valid = (q.sort === 'count' ? /^\d{1,19}$/ : TIME_KEY).test(position.value) && isIssueId(position.id);
      if (!valid) throw new FaultlineError('FAULTLINE_ERR_QUERY_CURSOR', 'Cursor is not one this server issued');
      after = position;
    }
  }
  const sorted: SortedIssues = { sort: q.sort, column, order: `ORDER BY ${column} DESC, id DESC` };
  const positionOf = (last: PageRow) => ({ kind: `issues:${q.sort}`, value: last.sort_key, id: String(last.id) });
  if (q.walk && offset === null) {
    const rows = await walkedRows(client, sorted, { where: q.where, params: q.params, after }, q.walk, limit + 1);
    return keysetPage(rows, limit, toIssue, positionOf);
  }
  const { where, params } = q.walk ? q.walk.rest() : q;
  const matching = { where, params, after };
  let counted: { total: number; totalCapped: boolean } | null = null;
  if (count) {
    // Before the page's own values join `params`: PostgreSQL refuses a value the statement does not use.
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM issues WHERE ${whereOf(sorted, matching)} LIMIT ${MAX_ISSUE_OFFSET + 1}) AS m`,
      params.values,
    );
    counted = { total: Math.min(rows[0].n, MAX_ISSUE_OFFSET), totalCapped: rows[0].n > MAX_ISSUE_OFFSET };
  }
  const rows = await pageRows(client, sorted, matching, limit + 1, offset, q.walk !== undefined);
  const found = keysetPage(rows, limit, toIssue, positionOf);
  return counted ? { ...found, ...counted } : found;
}

type PageRow = IssueRow & { sort_key: string };
interface SortedIssues {
  sort: IssueSort;
  column: string;
  order: string;
}
/** Issues matching `where`, after the keyset position `after` when there is one. */
interface MatchingIssues {
  where: string[];
  params: SqlParams;
  after: { value: string; id: string } | null;
}

function whereOf(sorted: SortedIssues, m: MatchingIssues): string {
  if (m.after === null) return m.where.join(' AND ');
  const cast = sorted.sort === 'count' ? 'bigint' : 'timestamptz';
  return [...m.where, `(${sorted.column}, id) < (${m.params.add(m.after.value)}::${cast}, ${m.params.add(m.after.id)}::bigint)`].join(' AND ');
}

/**
 * The first `n` matching issues in the sort's order, after skipping `offset` of them. With an offset, or
 * `idsFirst`, the statement finds the page's ids first and then reads their rows: the scan that passes
 * over issues skipped or not matching reads only the sort's index, not each issue's row.
 */
async function pageRows(client: PgClient, sorted: SortedIssues, m: MatchingIssues, n: number, offset: number | null, idsFirst = false): Promise<PageRow[]> {
  const page = `SELECT ${ISSUE_COLUMNS}, ${sorted.column}::text AS sort_key FROM issues`;
  const matching = `WHERE ${whereOf(sorted, m)} ${sorted.order} LIMIT ${m.params.add(n)}`;
  const sql =
    offset || idsFirst
      ? `${page} WHERE id = ANY (ARRAY(SELECT id FROM issues ${matching}${offset ? ` OFFSET ${m.params.add(offset)}` : ''})) ${sorted.order}`
      : `${page} ${matching}`;
  const { rows } = await client.query<PageRow>(sql, m.params.values);
  return rows;
}

/**
 * The first `n` issues matching `m` and the walk's conditions. The walk goes in two steps: an eighth of
 * its issues, then the rest of them only if the matches found so far would fill the page within them.
 * When it stops short of a full page, the walk's `rest` statement finds what is missing, from the last
 * issue walked on: a tag nearly every issue has costs a few probes before its hashed set, not thousands.
 */
async function walkedRows(client: PgClient, sorted: SortedIssues, m: MatchingIssues, walk: IssueWalk, n: number): Promise<PageRow[]> {
  const shared = m.params.values.length; // the conditions' values; each step adds its own after them
  const first = Math.ceil(walk.issues / 8);
  const found: PageRow[] = [];
  let after = m.after;
  let walked = 0;
  for (const issues of [first, walk.issues - first]) {
    if (issues === 0) break;
    const params = new SqlParams(m.params.values.slice(0, shared));
    const step = await walkStep(client, sorted, { where: m.where, params, after }, walk.where, issues, n - found.length);
    found.push(...step.found);
    if (found.length >= n || step.last === null) return found;
    walked += issues;
    after = step.last;
    if (found.length * walk.issues < n * walked) break; // at this rate, the page would not fill within the walk
  }
  // The hashed set passes over most issues here: ids first, so that the pass reads the sort's index only.
  const rest = walk.rest();
  return [...found, ...(await pageRows(client, sorted, { ...rest, after }, n - found.length, null, true))];
}

/**
 * One statement of a walk: of the next `issues` issues matching `m`, the first `n` that match `where`,
 * and the last of them (null when fewer were left). It numbers the issues it walks and returns the
 * matching ones and the last, so it stops as soon as the page is full.
 */
async function walkStep(
  client: PgClient,
  sorted: SortedIssues,
  m: MatchingIssues,
  where: string[],
  issues: number,
  n: number,
): Promise<{ found: PageRow[]; last: { value: string; id: string } | null }> {
  const { rows } = await client.query<PageRow & { walk_match: boolean; walk_n: string }>(
    `SELECT * FROM (SELECT ${ISSUE_COLUMNS}, ${sorted.column}::text AS sort_key, (${where.join(' AND ')}) AS walk_match,
                           row_number() OVER (${sorted.order}) AS walk_n
                      FROM issues WHERE ${whereOf(sorted, m)} ${sorted.order} LIMIT ${m.params.add(issues)}) AS issues
      WHERE walk_match OR walk_n = ${m.params.add(issues)} ${sorted.order} LIMIT ${m.params.add(n)}`,
    m.params.values,
  );
  const found = rows.filter((r) => r.walk_match).slice(0, n);
  const last = rows.at(-1);
  return { found, last: last && Number(last.walk_n) === issues ? { value: last.sort_key, id: String(last.id) } : null };
}

export async function getIssue(client: PgClient, issueId: string): Promise<Issue | null> {
  if (!isIssueId(issueId)) return null;
  const { rows } = await client.query<IssueRow>(`SELECT ${ISSUE_COLUMNS} FROM issues WHERE id = $1`, [issueId]);
  return rows[0] ? toIssue(rows[0]) : null;
}

/** Sets the status; resolving stamps resolved_at (kept if already resolved), anything else clears it. */
export async function updateIssue(client: PgClient, issueId: string, patch: { status: IssueStatus }): Promise<Issue | null> {
  if (!ISSUE_STATUSES.includes(patch.status)) {
    throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `Unknown status "${String(patch.status)}"`, { path: 'status' });
  }
  if (!isIssueId(issueId)) return null;
  const { rows } = await client.query<IssueRow>(
    `UPDATE issues SET
       status = $2,
       resolved_at = CASE WHEN $2 = 'resolved' THEN coalesce(resolved_at, now()) ELSE NULL END
     WHERE id = $1
     RETURNING ${ISSUE_COLUMNS}`,
    [issueId, patch.status],
  );
  return rows[0] ? toIssue(rows[0]) : null;
}

export function pageSize(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`, {
      path: 'limit',
    });
  }
  return limit;
}
