import type { IssueStatus } from '../api/types.js';

export const STATUS_LABELS: Record<IssueStatus, string> = { unresolved: 'Unresolved', resolved: 'Resolved', ignored: 'Ignored' };
/** The verb of the action that moves an issue to a status. */
export const STATUS_ACTIONS: Record<IssueStatus, string> = { unresolved: 'Unresolve', resolved: 'Resolve', ignored: 'Ignore' };
