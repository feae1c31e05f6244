import type { Level } from '../event/types.js';
import type { Issue, IssueSort, IssueStatus, Page, StoredEvent } from './storage.js';

/** What the issue search language (`parseIssueSearch`) says: every field narrows the result. */
export interface IssueSearchFilters {
  /** Undefined means any status. */
  status?: IssueStatus;
  level?: Level;
  release?: string;
  environment?: string;
  /** Free text matched against title, value and culprit. */
  text?: string;
}

export interface IssueSearchQuery {
  filters: IssueSearchFilters;
  sort: IssueSort;
  /** Opaque cursor from an earlier page's `nextCursor`, in the provider's own format. */
  cursor?: string;
  limit: number;
}

export interface EventSearchFilters {
  /** The events of one issue. */
  issueId?: string;
  level?: Level;
  release?: string;
  environment?: string;
  text?: string;
  /** Received at or after. */
  since?: Date;
  /** Received before. */
  until?: Date;
}

export interface EventSearchQuery {
  filters: EventSearchFilters;
  cursor?: string;
  limit: number;
}

/**
 * The `search` provider: issue and event search for the query API. The default asks the storage
 * (its own indexes and full-text search); a search plugin (OpenSearch) replaces it for volume and richer
 * queries and keeps its index up to date from `pubsub` and `jobs`.
 *
 * Results are the storage's issues and events, newest data included, in the query's sort order, with
 * `nextCursor` null on the last page. A malformed cursor is FAULTLINE_ERR_QUERY_CURSOR; a filter the
 * provider cannot evaluate is FAULTLINE_ERR_QUERY_INVALID naming it (never silently ignored).
 */
export interface SearchProvider {
  readonly name: string;
  searchIssues(projectId: number, query: IssueSearchQuery): Promise<Page<Issue>>;
  /** Newest first. */
  searchEvents(projectId: number, query: EventSearchQuery): Promise<Page<StoredEvent>>;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
