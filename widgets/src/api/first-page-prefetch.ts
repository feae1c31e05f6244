import { FaultlineClient } from './client.js';
import { issuesPath, pageParams, type IssueListView } from './issue-pages.js';
import type { IssueStatus } from './types.js';

const STATUSES: readonly string[] = ['unresolved', 'resolved', 'ignored'];

/**
 * Asks for the first page of every issue list the parsed document already holds (a list, or a dashboard
 * that will show one), from the elements' attributes, before the components' code runs: running it takes
 * longer than the request, so the answer is in when the list asks (client.ts `prefetch`). Elements whose
 * properties a framework sets later are left alone; their lists ask for themselves.
 */
export function prefetchFirstPages(root: ParentNode): void {
  for (const el of root.querySelectorAll('faultline-dashboard, faultline-issue-list')) {
    const project = el.getAttribute('project');
    const status = el.getAttribute('status') ?? 'unresolved';
    if (!project || !STATUSES.includes(status)) continue;
    const isList = el.localName === 'faultline-issue-list';
    if (!isList && !dashboardShowsList(el)) continue;
    const view: IssueListView = {
      project,
      query: isList ? (el.getAttribute('query') ?? '') : '',
      status: status as IssueStatus,
      sort: (isList && el.getAttribute('sort')) || 'last_seen',
    };
    new FaultlineClient(el.getAttribute('base-url') ?? '', el.getAttribute('token') || null).prefetch(issuesPath(project), pageParams(view, 0));
  }
}

/** The dashboard's route: the `route` attribute when the host sets one, the location's hash otherwise. */
function dashboardShowsList(el: Element): boolean {
  const route = el.getAttribute('route') ?? (location.hash.replace(/^#/, '') || '/');
  return !/^\/issues\//.test(route);
}
