import { FaultlineError } from '../errors.js';
import { isSearchableStorage, type EventSearchQuery, type IssueSearchQuery, type SearchProvider, type TagSummary, type TagSummaryQuery } from '../providers/search.js';
import type { Issue, IssueQuery, Page, StatsPoint, StatsQuery, StorageProvider, StoredEvent } from '../providers/storage.js';
import { exactValue, type SearchAst } from '../providers/search-ast.js';

/**
 * The default `search`: the storage's own queries. A storage with `searchIssues` (Postgres) answers the
 * whole language on its own indexes; any other gets what `listIssues` can express (one status, level,
 * release or environment, and free text) and a coded 400 naming the first term it cannot evaluate.
 * Event search covers one issue's events, newest first; any other filter needs a search plugin.
 */
export class StorageSearch implements SearchProvider {
  readonly name = 'storage';

  constructor(private readonly storage: () => StorageProvider) {}

  searchIssues(projectId: number, query: IssueSearchQuery): Promise<Page<Issue>> {
    const storage = this.storage();
    if (isSearchableStorage(storage)) return storage.searchIssues(projectId, query);
    return storage.listIssues(projectId, { ...listFilters(query.ast), sort: query.sort, cursor: query.cursor, offset: query.offset, total: query.total, limit: query.limit });
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
    if (!issue || issue.projectId !== projectId) return { data: [], nextCursor: null, prevCursor: null };
    return this.storage().listIssueEvents(issueId, { cursor: query.cursor, limit: query.limit, order: query.order });
  }

  eventStats(projectId: number, query: StatsQuery): Promise<StatsPoint[]> {
    return this.storage().eventStats(projectId, query);
  }

  async tagSummary(projectId: number, issueId: string, query: TagSummaryQuery): Promise<TagSummary[]> {
    const storage = this.storage();
    if (!isSearchableStorage(storage)) {
      throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', 'Tag summaries need a storage with search (Postgres) or a search plugin');
    }
    return storage.tagSummary(projectId, issueId, query);
  }
}

type ListFilters = Omit<IssueQuery, 'sort' | 'cursor' | 'offset' | 'total' | 'limit'>;

/** The AST as `listIssues` filters, for a storage without `searchIssues`. */
function listFilters(ast: SearchAst): ListFilters {
  const filters: ListFilters = {};
  const words: string[] = [];
  for (const term of ast.terms) {
    const single = term.type === 'match' && !term.negated && term.values.length === 1 ? exactValue(term.values[0]) : undefined;
    if (term.type === 'text') words.push(term.value);
    else if (term.type === 'match' && single !== undefined && (term.field === 'status' || term.field === 'level' || term.field === 'release' || term.field === 'environment')) {
      Object.assign(filters, { [term.field]: single });
    } else {
      throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', `This storage cannot search by that term; it needs a search plugin`, {
        path: `query[${term.position}]`,
      });
    }
  }
  if (words.length > 0) filters.text = words.join(' ');
  return filters;
}
