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
 * One page of the issues matching `where` (SQL over the issues table, unqualified or as `issues`, with
 * its values in `params`), in the sort's order from the cursor on. An offset cursor (withOffset) skips
 * that many issues, finding the page's ids first so that the issues skipped are never read whole; when
 * asked, it counts the matches up to MAX_ISSUE_OFFSET as `total`, which bounds the count's cost whatever
 * the conditions (a search condition checked per issue included).
 */
export async function pageOfIssues(
  client: PgClient,
  q: { where: string[]; params: SqlParams; sort: IssueSort; cursor?: string; limit: number },
): Promise<Page<Issue>> {
  if (!ISSUE_SORTS.includes(q.sort)) {
    throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', `Unknown sort "${String(q.sort)}"`);
  }
  const limit = pageSize(q.limit);
  const column = SORT_COLUMNS[q.sort];
  const where = [...q.where];
  const params = q.params;
  let offset: number | null = null;
  let count = false;
  if (q.cursor !== undefined) {
    const position = decodeCursor(q.cursor, [`issues:${q.sort}`, `issues:${q.sort}:offset`]);
    if (position.kind.endsWith(':offset')) {
      offset = /^\d{1,6}$/.test(position.value) && (position.id === '' || position.id === 'total') ? Number(position.value) : NaN;
      if (!(offset <= MAX_ISSUE_OFFSET)) throw new FaultlineError('FAULTLINE_ERR_QUERY_CURSOR', 'Cursor is not one this server issued');
      count = position.id === 'total';
    }
  }
  if (q.cursor !== undefined && offset === null) {
    const position = decodeCursor(q.cursor, `issues:${q.sort}`);
    const valid = (q.sort === 'count' ? /^\d{1,19}$/ : TIME_KEY).test(position.value) && isIssueId(position.id);
    if (!valid) throw new FaultlineError('FAULTLINE_ERR_QUERY_CURSOR', 'Cursor is not one this server issued');
    const cast = q.sort === 'count' ? 'bigint' : 'timestamptz';
    where.push(`(${column}, id) < (${params.add(position.value)}::${cast}, ${params.add(position.id)}::bigint)`);
  }
  let counted: { total: number; totalCapped: boolean } | null = null;
  if (count) {
    // Before the page's own values join `params`: PostgreSQL refuses a value the statement does not use.
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM issues WHERE ${where.join(' AND ')} LIMIT ${MAX_ISSUE_OFFSET + 1}) AS m`,
      params.values,
    );
    counted = { total: Math.min(rows[0].n, MAX_ISSUE_OFFSET), totalCapped: rows[0].n > MAX_ISSUE_OFFSET };
  }
  const order = `ORDER BY ${column} DESC, id DESC`;
  const page = `SELECT ${ISSUE_COLUMNS}, ${column}::text AS sort_key FROM issues`;
  const matching = `WHERE ${where.join(' AND ')} ${order} LIMIT ${params.add(limit + 1)}`;
  const { rows } = await client.query<IssueRow & { sort_key: string }>(
    offset ? `${page} WHERE id = ANY (ARRAY(SELECT id FROM issues ${matching} OFFSET ${params.add(offset)})) ${order}` : `${page} ${matching}`,
    params.values,
  );
  const found = keysetPage(rows, limit, toIssue, (last) => ({ kind: `issues:${q.sort}`, value: last.sort_key, id: String(last.id) }));
  return counted ? { ...found, ...counted } : found;
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
