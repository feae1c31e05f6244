import type { Level } from '../event/types.js';
import type { SearchAst } from './search-ast.js';
import type { EventOrder, Issue, IssueSort, Page, StatsPoint, StatsQuery, StoredEvent } from './storage.js';

export interface IssueSearchQuery {
  /** The parsed query (`parseSearchQuery`); no terms: every issue. */
  ast: SearchAst;
  /**
   * Narrows the result to `include` and leaves out `exclude`: what a search plugin found in its own
   * index, handed to the storage for the issue fields (SearchableStorage).
   */
  issues?: { include?: string[]; exclude?: string[] };
  sort: IssueSort;
  /** Opaque cursor from an earlier page's `nextCursor`, in the provider's own format. */
  cursor?: string;
  /** Skip this many issues instead (IssueQuery.offset). */
  offset?: number;
  /** Count the matches into `total` (IssueQuery.total). */
  total?: boolean;
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
  /** Newest first unless `asc`. */
  order?: EventOrder;
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
  /** Newest first, or oldest first with `order: 'asc'`; pages carry `prevCursor` as well. */
  searchEvents(projectId: number, query: EventSearchQuery): Promise<Page<StoredEvent>>;
  /** Event counts per hour or day, every bucket present (zeros included). */
  eventStats(projectId: number, query: StatsQuery): Promise<StatsPoint[]>;
  /** The most frequent values of each tag (and user field) among an issue's events. */
  tagSummary(projectId: number, issueId: string, query: TagSummaryQuery): Promise<TagSummary[]>;
  /**
   * Rebuilds the provider's own index from the storage (the source of truth), for `faultline search
   * reindex`. Absent when the provider keeps no index of its own (the default: storage indexes as it stores).
   */
  reindex?(options: SearchReindexOptions): Promise<{ indexed: number }>;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

export interface SearchReindexOptions {
  /** One project; all of them without it. */
  projectId?: number;
  /** Events received at or after; all without it. */
  since?: Date;
  /** Called as the rebuild goes, with the events indexed so far and the total to index. */
  onProgress?(done: number, total: number): void;
}

export interface TagSummaryQuery {
  /** Values kept per tag, most frequent first. */
  valuesPerTag: number;
}

/** One tag of an issue: its most frequent values with their event counts. */
export interface TagSummary {
  key: string;
  values: { value: string; count: number }[];
}

/**
 * A storage that answers the search language on its own indexes (Postgres: full text, tags and user
 * fields). The default `search` uses these when the storage has them; without them it answers what
 * `listIssues` can and refuses the rest with a coded 400.
 */
export interface SearchableStorage {
  searchIssues(projectId: number, query: IssueSearchQuery): Promise<Page<Issue>>;
  tagSummary(projectId: number, issueId: string, query: TagSummaryQuery): Promise<TagSummary[]>;
}

export function isSearchableStorage(storage: object): storage is SearchableStorage {
  const s = storage as Partial<SearchableStorage>;
  return typeof s.searchIssues === 'function' && typeof s.tagSummary === 'function';
}
