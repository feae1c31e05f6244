import {
  FaultlineError,
  isSearchableStorage,
  jobType,
  StorageSearch,
  type EventRecord,
  type EventSearchQuery,
  type Issue,
  type IssueSearchQuery,
  type JobsProvider,
  type Page,
  type PubSubProvider,
  type SearchProvider,
  type SearchReindexOptions,
  type StatsPoint,
  type StatsQuery,
  type StorageProvider,
  type StoredEvent,
  type TagSummary,
  type TagSummaryQuery,
} from '@faultline/core';
import type { Logger } from 'pino';
import { eventIndexTemplate, expiredIndices } from './event-index.js';
import { EventIndexer, type EventRef } from './event-indexer.js';
import type { OpenSearchApi } from './opensearch-api.js';
import type { OpenSearchOptions } from './options.js';
import { eventQueries, inProject } from './query-dsl.js';

export const INDEX_EVENTS = jobType<{ events: EventRef[] }>('search:index-events');
export const DROP_EXPIRED_INDICES = jobType<Record<string, never>>('search:drop-expired-indices');

export interface OpenSearchDeps {
  storage(): StorageProvider;
  jobs(): JobsProvider;
  pubsub(): PubSubProvider;
  log: Logger;
}

export type ReindexOptions = SearchReindexOptions;

/**
 * The `search` provider on OpenSearch. Event terms (tags, user fields, stack frames, free text) are
 * answered by the event index: one aggregation per term gives the issues having a matching event. The
 * storage (the source of truth) then applies the issue terms to those issues and sorts and pages them,
 * so both providers give the same answers. Indexing runs as `jobs` fed by `event:stored`, never on the
 * ingest path.
 */
export class OpenSearchSearch implements SearchProvider {
  readonly name = 'opensearch';
  readonly indexer: EventIndexer;
  private readonly fallback: StorageSearch;
  private unsubscribe: (() => void) | null = null;
  private templateReady: Promise<void> | null = null;

  constructor(
    private readonly api: OpenSearchApi,
    private readonly deps: OpenSearchDeps,
    private readonly options: OpenSearchOptions,
  ) {
    this.indexer = new EventIndexer(api, deps.storage, options, deps.log);
    this.fallback = new StorageSearch(deps.storage);
  }

  private get pattern(): string {
    return `${this.options.indexPrefix}-*`;
  }

  async start(): Promise<void> {
    const jobs = this.deps.jobs();
    jobs.define(
      INDEX_EVENTS,
      async ({ events }) => {
        await this.ensureTemplate();
        await this.indexer.indexRefs(events);
      },
      { attempts: this.options.indexAttempts, backoff: { initialMs: 1000, factor: 2, maxMs: 300_000 } },
    );
    jobs.define(DROP_EXPIRED_INDICES, () => this.dropExpiredIndices(new Date()).then(() => undefined));
    jobs.schedule('search:drop-expired-indices', { cron: '23 * * * *' }, DROP_EXPIRED_INDICES, {});
    this.unsubscribe = this.deps.pubsub().subscribe('event:stored', ({ events }) => {
      const refs = events.map(({ projectId, eventId, issueId, receivedAt }) => ({ projectId, eventId, issueId, receivedAt }));
      // Enqueueing is all that happens here: ingest never waits on the cluster.
      if (refs.length === 0) return;
      // Every node subscribed to a shared pubsub hears the batch: the job id makes it one job.
      const id = `search-index:${refs[0].projectId}:${refs[0].eventId}:${refs.length}`;
      this.deps
        .jobs()
        .enqueue(INDEX_EVENTS, { events: refs }, { id })
        .catch((err: unknown) => this.deps.log.error({ err }, 'could not enqueue search indexing'));
    });
    // The template is put now if the cluster answers, else by the first indexing job.
    await this.ensureTemplate().catch((err: unknown) => this.deps.log.warn({ err }, 'OpenSearch is not reachable yet; indexing jobs will retry'));
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.api.close();
  }

  ensureTemplate(): Promise<void> {
    this.templateReady ??= this.api.putIndexTemplate(this.options.indexPrefix, eventIndexTemplate(this.options.indexPrefix)).catch((err: unknown) => {
      this.templateReady = null;
      throw err;
    });
    return this.templateReady;
  }

  async searchIssues(projectId: number, query: IssueSearchQuery): Promise<Page<Issue>> {
    const storage = this.storage();
    const split = eventQueries(query.ast);
    if (split.required.length === 0 && split.excluded.length === 0) return storage.searchIssues(projectId, query);
    let include: string[] | null = null;
    for (const q of split.required) {
      const ids: Set<string> = await this.issuesMatching(projectId, q);
      include = include === null ? [...ids] : include.filter((id) => ids.has(id));
      if (include.length === 0) return { data: [], nextCursor: null };
    }
    const exclude = new Set<string>();
    for (const q of split.excluded) for (const id of await this.issuesMatching(projectId, q)) exclude.add(id);
    return storage.searchIssues(projectId, {
      ...query,
      ast: { terms: split.rest },
      issues: { ...(include ? { include } : {}), exclude: [...exclude] },
    });
  }

  searchEvents(projectId: number, query: EventSearchQuery): Promise<Page<StoredEvent>> {
    return this.fallback.searchEvents(projectId, query);
  }

  async eventStats(projectId: number, query: StatsQuery): Promise<StatsPoint[]> {
    const body = statsRequest(projectId, query);
    const res = await this.api.search(this.pattern, body);
    return statsPoints(res);
  }

  async tagSummary(projectId: number, issueId: string, query: TagSummaryQuery): Promise<TagSummary[]> {
    const res = await this.api.search(this.pattern, tagSummaryRequest(projectId, issueId, query.valuesPerTag));
    return tagSummaryOf(res);
  }

  /**
   * Rebuilds the index from the storage: every event of the project (or of every project) received
   * since `since`, range by range, in bulk requests. Documents are overwritten in place (same index,
   * same id), so a reindex can run beside live indexing.
   */
  async reindex(options: ReindexOptions = {}): Promise<{ indexed: number }> {
    await this.ensureTemplate();
    const storage = this.deps.storage();
    const projects = options.projectId !== undefined ? [options.projectId] : (await storage.listProjects()).map((p) => p.id);
    const since = options.since?.getTime() ?? -Infinity;
    const work: { projectId: number; from: Date; to: Date; rows: number }[] = [];
    for (const projectId of projects) {
      for (const range of await storage.listEventRanges({ projectId })) {
        if (Date.parse(range.to) <= since) continue;
        work.push({ projectId, from: new Date(Math.max(Date.parse(range.from), since)), to: new Date(range.to), rows: range.rows });
      }
    }
    const total = work.reduce((n, w) => n + w.rows, 0);
    let indexed = 0;
    options.onProgress?.(0, total);
    for (const w of work) {
      let batch: EventRecord[] = [];
      for await (const record of storage.streamEvents(w.projectId, { from: w.from, to: w.to }, { batchSize: this.options.batchSize })) {
        batch.push(record);
        if (batch.length >= this.options.batchSize) {
          indexed += await this.indexer.indexRecords(batch);
          batch = [];
          options.onProgress?.(indexed, Math.max(total, indexed));
        }
      }
      indexed += await this.indexer.indexRecords(batch);
      options.onProgress?.(indexed, Math.max(total, indexed));
    }
    await this.api.refresh(this.pattern);
    return { indexed };
  }

  /** Deletes the daily indices past the retention, whole. */
  async dropExpiredIndices(now: Date): Promise<string[]> {
    const expired = expiredIndices(this.options.indexPrefix, await this.api.listIndices(this.pattern), this.options.retentionDays, now);
    for (const name of expired) await this.api.deleteIndex(name);
    if (expired.length > 0) this.deps.log.info({ indices: expired }, 'dropped search indices past retention');
    return expired;
  }

  private storage() {
    const storage = this.deps.storage();
    if (!isSearchableStorage(storage)) {
      throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', 'The OpenSearch plugin needs a storage with search (Postgres) for issue fields');
    }
    return storage;
  }

  private async issuesMatching(projectId: number, query: Record<string, unknown>): Promise<Set<string>> {
    const res = await this.api.search(this.pattern, {
      size: 0,
      query: inProject(projectId, query),
      aggs: { issues: { terms: { field: 'issue_id', size: this.options.maxIssuesPerTerm } } },
    });
    const buckets = (res.aggregations as { issues?: { buckets: { key: string }[] } } | undefined)?.issues?.buckets ?? [];
    return new Set(buckets.map((b) => String(b.key)));
  }
}

/** A date histogram with every bucket from since to until, zeros included. */
export function statsRequest(projectId: number, query: StatsQuery): Record<string, unknown> {
  const interval = query.interval === 'day' ? { calendar_interval: '1d' } : { fixed_interval: '1h' };
  return {
    size: 0,
    query: {
      bool: {
        filter: [
          ...(inProject(projectId, null, query.issueId) as { bool: { filter: unknown[] } }).bool.filter,
          { range: { received_at: { gte: query.since.toISOString(), lt: query.until.toISOString() } } },
        ],
      },
    },
    aggs: {
      series: {
        date_histogram: {
          field: 'received_at',
          ...interval,
          time_zone: 'UTC',
          min_doc_count: 0,
          extended_bounds: { min: query.since.getTime(), max: query.until.getTime() - 1 },
        },
      },
    },
  };
}

export function statsPoints(res: Record<string, unknown>): StatsPoint[] {
  const buckets = (res.aggregations as { series?: { buckets: { key: number; doc_count: number }[] } } | undefined)?.series?.buckets ?? [];
  return buckets.map((b) => ({ t: new Date(b.key).toISOString(), count: b.doc_count }));
}

/** Top values per tag (nested pairs) and of level, release and environment, as Sentry counts them. */
export function tagSummaryRequest(projectId: number, issueId: string, valuesPerTag: number): Record<string, unknown> {
  const top = (field: string) => ({ terms: { field, size: valuesPerTag, order: [{ _count: 'desc' }, { _key: 'asc' }] } });
  return {
    size: 0,
    query: inProject(projectId, null, issueId),
    aggs: {
      tags: { nested: { path: 'tags' }, aggs: { keys: { terms: { field: 'tags.key', size: 100, order: { _key: 'asc' } }, aggs: { values: top('tags.value') } } } },
      level: top('level'),
      release: top('release'),
      environment: top('environment'),
    },
  };
}

type Buckets = { buckets: { key: string; doc_count: number; values?: Buckets }[] };

export function tagSummaryOf(res: Record<string, unknown>): TagSummary[] {
  const aggs = (res.aggregations ?? {}) as { tags?: { keys: Buckets }; level?: Buckets; release?: Buckets; environment?: Buckets };
  const values = (b: Buckets | undefined) => (b?.buckets ?? []).map((v) => ({ value: String(v.key), count: v.doc_count }));
  const summary: TagSummary[] = (aggs.tags?.keys.buckets ?? []).map((k) => ({ key: String(k.key), values: values(k.values) }));
  for (const key of ['level', 'release', 'environment'] as const) {
    const v = values(aggs[key]);
    if (v.length > 0 && !summary.some((s) => s.key === key)) summary.push({ key, values: v });
  }
  return summary.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
