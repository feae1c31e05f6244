import { FaultlineError } from '../errors.js';
import type { HookRegistry } from '../hooks/hook-registry.js';
import type { PubSubProvider } from '../providers/pubsub.js';
import type { Issue, IssueStatus, StorageProvider } from '../providers/storage.js';

export interface IssueWorkflowDeps {
  storage(): StorageProvider;
  hooks: HookRegistry;
  pubsub(): PubSubProvider;
  /** Announcements run after the change and are not awaited by the caller; stop() waits for them. */
  track(promise: Promise<unknown>): void;
}

/** Which issues a caller may change: the projects of its grant (null: every one). */
export interface IssueScope {
  projectIds: number[] | null;
}

export interface IssueChange {
  issue: Issue;
  previous: Issue;
  /** False when the issue already had the status: nothing was written or announced. */
  changed: boolean;
}

/** Ids per bulk change, at most: a page of issues in a list. */
export const MAX_BULK_ISSUES = 100;
const ISSUE_ID = /^[1-9][0-9]{0,18}$/;

/**
 * Status changes of issues (resolve, ignore, unresolve), one or many, by a person through the API, the
 * CLI, widgets or an alert action. Each real change is announced with `{ issue, previous }` on the
 * `issue:updated` notify hook and on the `pubsub` seam (other nodes' live views and rules); setting the
 * status an issue has already changes and announces nothing. Regressions are not made here: storage
 * reopens issues inside its batch, and the batch processor announces them.
 */
export function createIssueWorkflow(deps: IssueWorkflowDeps) {
  /** Every issue of `ids` the scope may see, or a 404 naming the first that is missing (nothing changes then). */
  async function visible(ids: readonly string[], scope: IssueScope, projectId?: number): Promise<Issue[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', 'Name at least one issue id', { path: 'id' });
    if (unique.length > MAX_BULK_ISSUES) {
      throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `At most ${MAX_BULK_ISSUES} issues per change`, { path: 'id' });
    }
    const bad = unique.find((id) => !ISSUE_ID.test(id));
    if (bad !== undefined) throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `"${bad}" is not an issue id`, { path: 'id' });
    const issues = await Promise.all(unique.map((id) => deps.storage().getIssue(id)));
    issues.forEach((issue, i) => {
      const allowed = issue && (scope.projectIds === null || scope.projectIds.includes(issue.projectId)) && (projectId === undefined || issue.projectId === projectId);
      if (!allowed) throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', `Issue ${unique[i]} not found`, { path: 'id' });
    });
    return issues as Issue[];
  }

  async function apply(previous: Issue, status: IssueStatus): Promise<IssueChange> {
    if (previous.status === status) return { issue: previous, previous, changed: false };
    const issue = await deps.storage().updateIssue(previous.id, { status });
    if (!issue) throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', `Issue ${previous.id} not found`, { path: 'id' });
    const message = { issue, previous };
    deps.track(deps.hooks.run('issue:updated', message));
    deps.track(deps.pubsub().publish('issue:updated', message));
    return { issue, previous, changed: true };
  }

  async function setStatus(ids: readonly string[], status: IssueStatus, scope: IssueScope, projectId?: number): Promise<IssueChange[]> {
    const issues = await visible(ids, scope, projectId);
    const changes: IssueChange[] = [];
    for (const issue of issues) changes.push(await apply(issue, status));
    return changes;
  }

  return {
    setStatus,
    /** One issue the scope may see; a 404 otherwise, whether it exists or not. */
    async change(id: string, status: IssueStatus, scope: IssueScope): Promise<IssueChange> {
      return (await setStatus([id], status, scope))[0];
    },
    /** Several issues of one project (bulk actions); all must be in it and visible, or nothing changes. */
    async changeMany(projectId: number, ids: readonly string[], status: IssueStatus, scope: IssueScope): Promise<IssueChange[]> {
      return setStatus(ids, status, scope, projectId);
    },
    resolve: (ids: readonly string[], scope: IssueScope = { projectIds: null }) => setStatus(ids, 'resolved', scope),
    ignore: (ids: readonly string[], scope: IssueScope = { projectIds: null }) => setStatus(ids, 'ignored', scope),
    unresolve: (ids: readonly string[], scope: IssueScope = { projectIds: null }) => setStatus(ids, 'unresolved', scope),
  };
}

export type IssueWorkflow = ReturnType<typeof createIssueWorkflow>;
