import type { FaultlineClient, Params } from './client.js';
import type { Issue, IssueStatus, Page } from './types.js';

/** Issues per page of the list. */
export const PAGE_SIZE = 50;
/** The deepest offset the API serves (MAX_ISSUE_OFFSET). */
export const MAX_OFFSET = 100_000;

export interface IssueListView {
  project: string;
  query: string;
  status: IssueStatus;
  sort: string;
}

/** The search the list sends: its text, with the status tab's `is:` unless the text names a status. */
export function listQuery(view: IssueListView): string {
  const text = view.query.trim();
  return /(^|\s)is:/.test(text) ? text : `is:${view.status}${text ? ` ${text}` : ''}`;
}

export function issuesPath(project: string): string {
  return `/api/v1/projects/${encodeURIComponent(project)}/issues`;
}

/** Page n of the list, by its offset (one definition: the list and the early request must agree). */
export function pageParams(view: IssueListView, n: number): Params {
  return { query: listQuery(view), sort: view.sort, offset: n * PAGE_SIZE, limit: PAGE_SIZE };
}

export function getIssuePage(client: FaultlineClient, view: IssueListView, n: number): Promise<Page<Issue>> {
  return client.get<Page<Issue>>(issuesPath(view.project), pageParams(view, n));
}
