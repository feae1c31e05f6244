import { FaultlineError } from '../errors.js';
import type { EventSearchQuery, IssueSearchQuery, SearchProvider } from '../providers/search.js';
import type { Issue, Page, StorageProvider, StoredEvent } from '../providers/storage.js';

/**
 * The default `search`: the storage's own queries (Postgres: its indexes and full-text search), so the
 * query API behaves as it did before the seam existed. Event search covers what storage can answer
 * without an index of its own: one issue's events, newest first; any other filter is a coded 400
 * that names it (a search plugin answers those).
 */
export class StorageSearch implements SearchProvider {
  readonly name = 'storage';

  constructor(private readonly storage: () => StorageProvider) {}

  searchIssues(projectId: number, query: IssueSearchQuery): Promise<Page<Issue>> {
    return this.storage().listIssues(projectId, { ...query.filters, sort: query.sort, cursor: query.cursor, limit: query.limit });
  }

  async searchEvents(projectId: number, query: EventSearchQuery): Promise<Page<StoredEvent>> {
    const { issueId, ...rest } = query.filters;
    const unsupported = Object.entries(rest).find(([, value]) => value !== undefined);
    if (unsupported) {
      throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', `Event search by ${unsupported[0]} needs a search plugin`, { path: unsupported[0] });
    }
    if (issueId === undefined) {
      throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', 'Event search without an issue needs a search plugin', { path: 'issueId' });
    }
    const issue = await this.storage().getIssue(issueId);
    if (!issue || issue.projectId !== projectId) return { data: [], nextCursor: null };
    return this.storage().listIssueEvents(issueId, { cursor: query.cursor, limit: query.limit });
  }
}
