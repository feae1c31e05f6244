import { FaultlineError } from '../../errors.js';
import { definePlugin, type FaultlinePlugin } from '../../plugins/plugin-types.js';
import type {
  AuditEntry,
  AuditQuery,
  EventRecord,
  EventRangeFilter,
  EventRef,
  EventTimeRange,
  GroupedEvent,
  Issue,
  IssueEventsQuery,
  IssueQuery,
  IssueStatus,
  NewAuditEntry,
  NewPublicKey,
  NewToken,
  Page,
  Project,
  PublicKeyRecord,
  RestoreEventsResult,
  RetentionPolicy,
  StatsPoint,
  StatsQuery,
  StorageProvider,
  StoreBatchResult,
  StoredEvent,
  TimeRange,
  TokenRecord,
} from '../../providers/storage.js';
import { MemoryAdmin } from './memory-admin.js';
import { MemoryAlerts } from './memory-alerts.js';
import { MemoryArchive } from './memory-archive.js';
import { MemoryAudit } from './memory-audit.js';
import { MemoryScrubbing } from './memory-scrubbing.js';
import { storeBatch } from './memory-batch.js';
import { MemoryQueries } from './memory-queries.js';
import { MemoryRetention } from './memory-retention.js';
import { MemoryState } from './memory-state.js';

/**
 * A StorageProvider in memory with the Postgres storage's semantics (it passes the same
 * `storageContract`), for plugin tests and demos: nothing survives `close()` or the process.
 * Every answer is a copy, so a caller that changes one cannot change what is stored.
 */
export class MemoryStorage implements StorageProvider {
  private state = new MemoryState();
  private admin = new MemoryAdmin(this.state);
  private queries = new MemoryQueries(this.state);
  private archive = new MemoryArchive(this.state);
  private audit = new MemoryAudit();
  private scrubbing = new MemoryScrubbing();
  private alerts = new MemoryAlerts(this.state);
  private retention = new MemoryRetention(this.state);
  private closed = false;

  async migrate(): Promise<void> {
    this.closed = false;
  }

  async ping(): Promise<void> {
    this.open();
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  async createProject(input: { name: string; slug: string }): Promise<Project> {
    return this.open().admin.createProject(input);
  }
  async listProjects(filter?: { ids?: number[] }): Promise<Project[]> {
    return this.open().admin.listProjects(filter);
  }
  async getProject(id: number): Promise<Project | null> {
    return this.open().admin.getProject(id);
  }
  async createPublicKey(input: NewPublicKey): Promise<PublicKeyRecord> {
    return this.open().admin.createPublicKey(input);
  }
  async listPublicKeys(projectId: number): Promise<PublicKeyRecord[]> {
    return this.open().admin.listPublicKeys(projectId);
  }
  async revokePublicKey(projectId: number, keyId: number): Promise<boolean> {
    return this.open().admin.revokePublicKey(projectId, keyId);
  }
  async findPublicKey(keyHash: string): Promise<PublicKeyRecord | null> {
    return this.open().admin.findPublicKey(keyHash);
  }
  async createToken(input: NewToken): Promise<TokenRecord> {
    return this.open().admin.createToken(input);
  }
  async findToken(tokenHash: string): Promise<TokenRecord | null> {
    return this.open().admin.findToken(tokenHash);
  }
  async listTokens(): Promise<TokenRecord[]> {
    return this.open().admin.listTokens();
  }
  async revokeToken(tokenId: number): Promise<boolean> {
    return this.open().admin.revokeToken(tokenId);
  }

  async storeBatch(events: GroupedEvent[]): Promise<StoreBatchResult> {
    return storeBatch(this.open().state, events);
  }

  async listIssues(projectId: number, query: IssueQuery): Promise<Page<Issue>> {
    return this.open().queries.listIssues(projectId, query);
  }
  async getIssue(issueId: string): Promise<Issue | null> {
    return this.open().queries.getIssue(issueId);
  }
  async updateIssue(issueId: string, patch: { status: IssueStatus }): Promise<Issue | null> {
    return this.open().queries.updateIssue(issueId, patch);
  }
  async listIssueEvents(issueId: string, page: IssueEventsQuery): Promise<Page<StoredEvent>> {
    return this.open().queries.listIssueEvents(issueId, page);
  }
  async getEvent(eventId: string, projectIds: number[] | null): Promise<StoredEvent | null> {
    return this.open().queries.getEvent(eventId, projectIds);
  }
  async eventStats(projectId: number, query: StatsQuery): Promise<StatsPoint[]> {
    return this.open().queries.eventStats(projectId, query);
  }

  async claimScheduledRun(name: string, slot: string): Promise<boolean> {
    return this.open().archive.claimScheduledRun(name, slot);
  }
  async listEventRanges(filter?: EventRangeFilter): Promise<EventTimeRange[]> {
    return this.open().archive.listEventRanges(filter);
  }
  streamEvents(projectId: number, range: TimeRange, options?: { batchSize?: number }): AsyncIterable<EventRecord> {
    return this.open().archive.streamEvents(projectId, range, options);
  }
  async dropEvents(range: TimeRange & { projectId?: number }): Promise<{ events: number }> {
    return this.open().archive.dropEvents(range);
  }
  async restoreEvents(events: EventRecord[]): Promise<RestoreEventsResult> {
    return this.open().archive.restoreEvents(events);
  }

  async recordAudit(entry: NewAuditEntry): Promise<void> {
    this.open().audit.record(entry);
  }
  async listAudit(query: AuditQuery): Promise<Page<AuditEntry>> {
    return this.open().audit.list(query);
  }
  getScrubbing: StorageProvider['getScrubbing'] = async (projectId) => this.open().scrubbing.get(projectId);
  setScrubbing: StorageProvider['setScrubbing'] = async (projectId, rules) => this.open().scrubbing.set(projectId, rules);
  // Alert rules, deliveries and evaluation state (memory-alerts.ts).
  createAlertRule: StorageProvider['createAlertRule'] = async (input) => this.open().alerts.createAlertRule(input);
  listAlertRules: StorageProvider['listAlertRules'] = async (filter) => this.open().alerts.listAlertRules(filter);
  getAlertRule: StorageProvider['getAlertRule'] = async (id) => this.open().alerts.getAlertRule(id);
  updateAlertRule: StorageProvider['updateAlertRule'] = async (id, patch) => this.open().alerts.updateAlertRule(id, patch);
  deleteAlertRule: StorageProvider['deleteAlertRule'] = async (id) => this.open().alerts.deleteAlertRule(id);
  createAlertDelivery: StorageProvider['createAlertDelivery'] = async (input) => this.open().alerts.createAlertDelivery(input);
  updateAlertDelivery: StorageProvider['updateAlertDelivery'] = async (id, patch) => this.open().alerts.updateAlertDelivery(id, patch);
  getAlertDelivery: StorageProvider['getAlertDelivery'] = async (id) => this.open().alerts.getAlertDelivery(id);
  listAlertDeliveries: StorageProvider['listAlertDeliveries'] = async (ruleId, query) => this.open().alerts.listAlertDeliveries(ruleId, query);
  takeDigest: StorageProvider['takeDigest'] = async (ruleId, digestKey) => this.open().alerts.takeDigest(ruleId, digestKey);
  claimAlertWindow: StorageProvider['claimAlertWindow'] = async (ruleId, key, now, until) => this.open().alerts.claimAlertWindow(ruleId, key, now, until);
  setAlertLatch: StorageProvider['setAlertLatch'] = async (ruleId, key, on) => this.open().alerts.setAlertLatch(ruleId, key, on);
  countEvents: StorageProvider['countEvents'] = async (projectId, query) => this.open().alerts.countEvents(projectId, query);
  projectActivity: StorageProvider['projectActivity'] = async (projectId, range, top) => this.open().alerts.projectActivity(projectId, range, top);
  async getRetention(projectId: number): Promise<RetentionPolicy> {
    return this.open().retention.getRetention(projectId);
  }
  async setRetention(projectId: number, policy: RetentionPolicy): Promise<RetentionPolicy> {
    return this.open().retention.setRetention(projectId, policy);
  }
  async findEventRef(eventId: string, projectIds: number[] | null): Promise<EventRef | null> {
    return this.open().retention.findEventRef(eventId, projectIds);
  }
  async pruneEventIds(projectId: number, before: Date): Promise<number> {
    return this.open().retention.pruneEventIds(projectId, before);
  }

  /** Refuses work after close(), as a closed database connection would. */
  private open(): this {
    if (this.closed) throw new FaultlineError('FAULTLINE_ERR_NOT_STARTED', 'Memory storage is closed');
    return this;
  }
}

/** The in-memory storage as a plugin: `createFaultline({ plugins: [memoryStorage()] })`. */
export function memoryStorage(storage: MemoryStorage = new MemoryStorage()): FaultlinePlugin {
  return definePlugin({
    name: 'faultline-memory-storage',
    core: '*',
    setup(ctx) {
      ctx.provide('storage', storage);
    },
    async stop() {
      await storage.close();
    },
  });
}
