import {
  type AuditEntry,
  type AuditQuery,
  type NewAuditEntry,
  type ProjectScrubbing,
  type ScrubbingRules,
  FaultlineError,
  type EventRecord,
  type EventTimeRange,
  type GroupedEvent,
  type Issue,
  type IssueQuery,
  type IssueEventsQuery,
  type IssueSearchQuery,
  type TagSummary,
  type TagSummaryQuery,
  type IssueStatus,
  type EventRangeFilter,
  type EventRef,
  type Page,
  type RetentionPolicy,
  type RestoreEventsResult,
  type StatsPoint,
  type StatsQuery,
  type StorageProvider,
  type StoreBatchResult,
  type StoredEvent,
  type TimeRange,
} from '@faultline/core';
import type { Logger } from 'pino';
import type { Sequelize } from 'sequelize';
import { AdminQueries } from './admin-queries.js';
import * as alerts from './alert-queries.js';
import { listAudit, recordAudit } from './audit-queries.js';
import { getScrubbing, setScrubbing } from './scrubbing-queries.js';
import { claimScheduledRun, dropEvents, listEventRanges, pruneScheduledRuns, readEventsWithCursor, restoreEvents } from './archive-queries.js';
import {
  connectWithRetry,
  createClient,
  createSequelize,
  inOwnTransaction,
  redactUrl,
  type PgClient,
  withClient,
} from './connection.js';
import { guarded, translateDatabaseError } from './database-errors.js';
import { startEmbeddedPostgres, type RunningEmbeddedPostgres } from './embedded-postgres.js';
import { eventStats, getEvent, listIssueEvents } from './event-queries.js';
import { getIssue, listIssues, updateIssue, withOffset } from './issue-queries.js';
import { searchIssues, tagSummary } from './search-queries.js';
import { runMigrations } from './migrate.js';
import { findEventRef, getRetention, pruneEventIds, setRetention } from './retention-queries.js';
import { defineModels } from './models.js';
import { resolveOptions, type ResolvedOptions, type StoragePostgresOptions } from './options.js';
import { ensurePartitions } from './partitions.js';
import { silentLogger } from './silent-logger.js';
import { storeBatch } from './store-batch.js';
import { IssueTextCache } from './issue-text-cache.js';
import { IssueTagWriter } from './issue-tag-writer.js';

/**
 * The storage provider on PostgreSQL. `connect()` first (starts the embedded server when there is no
 * URL), then `migrate()` if the schema may be behind, then `maintain()` now and on a schedule (the plugin
 * schedules it on `jobs`).
 */
export class PostgresStorage implements StorageProvider {
  private readonly options: ResolvedOptions;
  private readonly log: Logger;
  private sequelize: Sequelize | null = null;
  private admin: AdminQueries | null = null;
  private embedded: RunningEmbeddedPostgres | null = null;
  private url: string | null = null;
  private connecting: Promise<void> | null = null;
  /** Null when issue tag counts are written in each batch's transaction (`issueTagsFlushMs: 0`). */
  private readonly tagWriter: IssueTagWriter | null;
  private readonly issueTexts = new IssueTextCache();

  constructor(options: StoragePostgresOptions & { log?: Logger } = {}) {
    this.options = resolveOptions(options);
    this.log = options.log ?? silentLogger();
    this.tagWriter = this.options.issueTagsFlushMs > 0 ? new IssueTagWriter(() => this.db, this.options.issueTagsFlushMs, this.log) : null;
  }

  /** Writes the issue tag counts held in memory (issue-tag-writer.ts); for tests and tools that read `issue_tags` with SQL. */
  async flushIssueTags(): Promise<void> {
    await this.tagWriter?.flush();
  }

  /** Connects (once); starts the embedded PostgreSQL when no URL was given. */
  connect(): Promise<void> {
    this.connecting ??= this.open().catch(async (err: unknown) => {
      this.connecting = null;
      await this.close().catch(() => undefined);
      throw err;
    });
    return this.connecting;
  }

  private async open(): Promise<void> {
    let url = this.options.url;
    if (url === null) {
      this.embedded = await startEmbeddedPostgres({
        dataDir: this.options.dataDir,
        port: this.options.port,
        database: this.options.database,
        log: this.log,
      });
      url = this.embedded.url;
    }
    this.url = url;
    const sequelize = createSequelize(url, this.options.connection);
    this.sequelize = sequelize;
    await connectWithRetry(sequelize, this.options.connection, this.log);
    this.admin = new AdminQueries(defineModels(sequelize));
    this.log.info({ url: redactUrl(url) }, 'connected to PostgreSQL');
  }

  private get db(): Sequelize {
    if (!this.sequelize) throw new FaultlineError('FAULTLINE_ERR_NOT_STARTED', 'Postgres storage is not connected');
    return this.sequelize;
  }

  private get adminQueries(): AdminQueries {
    if (!this.admin) throw new FaultlineError('FAULTLINE_ERR_NOT_STARTED', 'Postgres storage is not connected');
    return this.admin;
  }

  async migrate(): Promise<void> {
    await this.connect();
    const client = createClient(this.url!, this.options.connection);
    await client.connect();
    try {
      const applied = await runMigrations(client, this.log);
      if (applied.length > 0) this.log.info({ applied }, 'storage migrations applied');
      await ensurePartitions(client, new Date(), this.log);
    } finally {
      await client.end();
    }
  }

  /**
   * Partition upkeep, one pass: creates the daily event partitions a week ahead and prunes old schedule
   * claims. The plugin runs it at start and then as a `jobs` schedule (once per slot across nodes); dropping
   * old partitions is retention's, after their archive is verified.
   */
  maintain(now: Date = new Date()): Promise<void> {
    return withClient(this.db, async (client) => {
      await ensurePartitions(client, now, this.log);
      await pruneScheduledRuns(client);
    });
  }

  async ping(): Promise<void> {
    await withClient(this.db, (client) => client.query('SELECT 1'));
  }

  async close(): Promise<void> {
    if (this.sequelize) await this.tagWriter?.flush().catch(() => undefined); // logged by the writer
    const sequelize = this.sequelize;
    this.sequelize = null;
    this.admin = null;
    this.connecting = null;
    try {
      await sequelize?.close();
    } finally {
      const embedded = this.embedded;
      this.embedded = null;
      await embedded?.stop();
    }
  }

  createProject: StorageProvider['createProject'] = (input) => guarded(() => this.adminQueries.createProject(input));
  listProjects: StorageProvider['listProjects'] = (filter) => guarded(() => this.adminQueries.listProjects(filter));
  getProject: StorageProvider['getProject'] = (id) => guarded(() => this.adminQueries.getProject(id));
  createPublicKey: StorageProvider['createPublicKey'] = (input) => guarded(() => this.adminQueries.createPublicKey(input));
  listPublicKeys: StorageProvider['listPublicKeys'] = (projectId) => guarded(() => this.adminQueries.listPublicKeys(projectId));
  revokePublicKey: StorageProvider['revokePublicKey'] = (projectId, keyId) => guarded(() => this.adminQueries.revokePublicKey(projectId, keyId));
  findPublicKey: StorageProvider['findPublicKey'] = (keyHash) => guarded(() => this.adminQueries.findPublicKey(keyHash));
  createToken: StorageProvider['createToken'] = (input) => guarded(() => this.adminQueries.createToken(input));
  findToken: StorageProvider['findToken'] = (tokenHash) => guarded(() => this.adminQueries.findToken(tokenHash));
  listTokens: StorageProvider['listTokens'] = () => guarded(() => this.adminQueries.listTokens());
  revokeToken: StorageProvider['revokeToken'] = (tokenId) => guarded(() => this.adminQueries.revokeToken(tokenId));

  /** `searchIndex: false` writes no search columns: ingest need not build them (StorageProvider). */
  get indexesSearchFields(): boolean {
    return this.options.searchIndex;
  }

  async storeBatch(events: GroupedEvent[]): Promise<StoreBatchResult> {
    if (events.length === 0) return { stored: [], duplicates: 0, created: [], regressed: [] };
    return inOwnTransaction(this.db, (client) => storeBatch(client, events, { searchIndex: this.options.searchIndex, tagWriter: this.tagWriter ?? undefined, issueTexts: this.issueTexts }));
  }

  listIssues(projectId: number, query: IssueQuery): Promise<Page<Issue>> {
    return withClient(this.db, (client) => listIssues(client, projectId, query));
  }

  getIssue(issueId: string): Promise<Issue | null> {
    return withClient(this.db, (client) => getIssue(client, issueId));
  }

  updateIssue(issueId: string, patch: { status: IssueStatus }): Promise<Issue | null> {
    return withClient(this.db, (client) => updateIssue(client, issueId, patch));
  }

  listIssueEvents(issueId: string, page: IssueEventsQuery): Promise<Page<StoredEvent>> {
    return withClient(this.db, (client) => listIssueEvents(client, issueId, page));
  }

  getEvent(eventId: string, projectIds: number[] | null): Promise<StoredEvent | null> {
    return withClient(this.db, (client) => getEvent(client, eventId, projectIds));
  }

  async searchIssues(projectId: number, query: IssueSearchQuery): Promise<Page<Issue>> {
    await this.tagWriter?.beforeRead();
    return withClient(this.db, (client) => searchIssues(client, projectId, withOffset(query)));
  }

  async tagSummary(projectId: number, issueId: string, query: TagSummaryQuery): Promise<TagSummary[]> {
    await this.tagWriter?.beforeRead();
    return withClient(this.db, (client) => tagSummary(client, projectId, issueId, query));
  }

  eventStats(projectId: number, query: StatsQuery): Promise<StatsPoint[]> {
    return withClient(this.db, (client) => eventStats(client, projectId, query));
  }

  createAlertRule: StorageProvider['createAlertRule'] = (input) => withClient(this.db, (c) => alerts.createAlertRule(c, input));
  listAlertRules: StorageProvider['listAlertRules'] = (filter) => withClient(this.db, (c) => alerts.listAlertRules(c, filter));
  getAlertRule: StorageProvider['getAlertRule'] = (id) => withClient(this.db, (c) => alerts.getAlertRule(c, id));
  updateAlertRule: StorageProvider['updateAlertRule'] = (id, patch) => withClient(this.db, (c) => alerts.updateAlertRule(c, id, patch));
  deleteAlertRule: StorageProvider['deleteAlertRule'] = (id) => withClient(this.db, (c) => alerts.deleteAlertRule(c, id));
  createAlertDelivery: StorageProvider['createAlertDelivery'] = (input) => withClient(this.db, (c) => alerts.createAlertDelivery(c, input));
  updateAlertDelivery: StorageProvider['updateAlertDelivery'] = (id, patch) => withClient(this.db, (c) => alerts.updateAlertDelivery(c, id, patch));
  getAlertDelivery: StorageProvider['getAlertDelivery'] = (id) => withClient(this.db, (c) => alerts.getAlertDelivery(c, id));
  listAlertDeliveries: StorageProvider['listAlertDeliveries'] = (ruleId, query) => withClient(this.db, (c) => alerts.listAlertDeliveries(c, ruleId, query));
  takeDigest: StorageProvider['takeDigest'] = (ruleId, digestKey) => withClient(this.db, (c) => alerts.takeDigest(c, ruleId, digestKey));
  claimAlertWindow: StorageProvider['claimAlertWindow'] = (ruleId, key, now, until) => withClient(this.db, (c) => alerts.claimAlertWindow(c, ruleId, key, now, until));
  setAlertLatch: StorageProvider['setAlertLatch'] = (ruleId, key, on) => withClient(this.db, (c) => alerts.setAlertLatch(c, ruleId, key, on));
  countEvents: StorageProvider['countEvents'] = (projectId, query) => withClient(this.db, (c) => alerts.countEvents(c, projectId, query));
  projectActivity: StorageProvider['projectActivity'] = (projectId, range, top) => withClient(this.db, (c) => alerts.projectActivity(c, projectId, range, top));

  claimScheduledRun(name: string, slot: string): Promise<boolean> {
    return withClient(this.db, (client) => claimScheduledRun(client, name, slot));
  }

  listEventRanges(filter?: EventRangeFilter): Promise<EventTimeRange[]> {
    return withClient(this.db, (client) => listEventRanges(client, filter));
  }

  /** One pooled connection for the whole read (a cursor; see readEventsWithCursor), released when it ends or stops. */
  async *streamEvents(projectId: number, range: TimeRange, options: { batchSize?: number } = {}): AsyncIterable<EventRecord> {
    const limit = Math.max(1, Math.min(options.batchSize ?? 500, 10_000));
    const connections = this.db.connectionManager;
    const client = (await guarded(() => connections.getConnection({ type: 'read' }))) as unknown as PgClient;
    try {
      yield* readEventsWithCursor(client, projectId, range, limit);
    } catch (err) {
      throw translateDatabaseError(err);
    } finally {
      connections.releaseConnection(client as never);
    }
  }

  dropEvents(range: TimeRange & { projectId?: number }): Promise<{ events: number }> {
    return withClient(this.db, (client) => dropEvents(client, range));
  }

  restoreEvents(events: EventRecord[]): Promise<RestoreEventsResult> {
    return withClient(this.db, (client) => restoreEvents(client, events));
  }

  getScrubbing(projectId: number): Promise<ProjectScrubbing | null> {
    return withClient(this.db, (client) => getScrubbing(client, projectId));
  }

  setScrubbing(projectId: number, rules: ScrubbingRules): Promise<ProjectScrubbing> {
    return withClient(this.db, (client) => setScrubbing(client, projectId, rules));
  }

  recordAudit(entry: NewAuditEntry): Promise<void> {
    return withClient(this.db, (client) => recordAudit(client, entry));
  }

  listAudit(query: AuditQuery): Promise<Page<AuditEntry>> {
    return withClient(this.db, (client) => listAudit(client, query));
  }

  getRetention(projectId: number): Promise<RetentionPolicy> {
    return withClient(this.db, (client) => getRetention(client, projectId));
  }

  setRetention(projectId: number, policy: RetentionPolicy): Promise<RetentionPolicy> {
    return withClient(this.db, (client) => setRetention(client, projectId, policy));
  }

  findEventRef(eventId: string, projectIds: number[] | null): Promise<EventRef | null> {
    return withClient(this.db, (client) => findEventRef(client, eventId, projectIds));
  }

  pruneEventIds(projectId: number, before: Date): Promise<number> {
    return withClient(this.db, (client) => pruneEventIds(client, projectId, before));
  }
}
