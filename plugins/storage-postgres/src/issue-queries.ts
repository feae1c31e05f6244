import { FaultlineError, ISSUE_SORTS, ISSUE_STATUSES, type Issue, type IssueQuery, type IssueStatus, type Page } from '@faultline/core';
import type { PgClient } from './connection.js';
import { decodeCursor, keysetPage } from './cursor.js';
import { ISSUE_COLUMNS, isIssueId, toIssue, type IssueRow } from './issue-row.js';

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
  if (!ISSUE_SORTS.includes(query.sort)) {
    throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', `Unknown sort "${String(query.sort)}"`);
  }
  const limit = pageSize(query.limit);
  const column = SORT_COLUMNS[query.sort];
  const params: unknown[] = [projectId];
  const where = ['project_id = $1'];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (query.status !== undefined) add((p) => `status = ${p}`, query.status);
  if (query.level !== undefined) add((p) => `level = ${p}`, query.level);
  if (query.release !== undefined) add((p) => `release = ${p}`, query.release);
  if (query.environment !== undefined) add((p) => `environment = ${p}`, query.environment);
  if (query.text !== undefined && query.text.trim() !== '') {
    add((p) => `search @@ websearch_to_tsquery('simple', ${p})`, query.text);
  }
  if (query.cursor !== undefined) {
    const position = decodeCursor(query.cursor, `issues:${query.sort}`);
    const valid = (query.sort === 'count' ? /^\d{1,19}$/ : TIME_KEY).test(position.value) && isIssueId(position.id);
    if (!valid) throw new FaultlineError('FAULTLINE_ERR_QUERY_CURSOR', 'Cursor is not one this server issued');
    const cast = query.sort === 'count' ? 'bigint' : 'timestamptz';
    params.push(position.value, position.id);
    where.push(`(${column}, id) < ($${params.length - 1}::${cast}, $${params.length}::bigint)`);
  }
  params.push(limit + 1);
  const { rows } = await client.query<IssueRow & { sort_key: string }>(
    `SELECT ${ISSUE_COLUMNS}, ${column}::text AS sort_key FROM issues
      WHERE ${where.join(' AND ')}
      ORDER BY ${column} DESC, id DESC
      LIMIT $${params.length}`,
    params,
  );
  return keysetPage(rows, limit, toIssue, (last) => ({ kind: `issues:${query.sort}`, value: last.sort_key, id: String(last.id) }));
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
