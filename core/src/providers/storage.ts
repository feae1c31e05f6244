import type { ProjectScrubbing, ScrubbingRules } from './scrubbing.js';
import type { CanonicalEvent, Level } from '../event/types.js';
import type { Role } from '../roles.js';
import type {
  AlertDelivery,
  AlertDeliveryPatch,
  AlertDeliveryQuery,
  AlertRule,
  AlertRulePatch,
  NewAlertDelivery,
  NewAlertRule,
  ProjectActivity,
} from './alert-rules.js';

/**
 * What a search index keeps of an event besides its columns: the free text (message, exception types
 * and values) and the filterable fields: tags with the user's fields as `user.*` keys, and the stack's
 * file names and functions. Built where the event is already parsed (grouping), so storage does not
 * parse the payload again; bounded so one odd event cannot bloat an index.
 */
export interface EventSearchFields {
  text: string;
  /** Tags, and `user.id`, `user.email`, `user.username`, `user.ip` when the event has them. */
  tags: Record<string, string>;
  filenames: string[];
  functions: string[];
}

export const ISSUE_STATUSES = ['unresolved', 'resolved', 'ignored'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

export { ROLES, type Role } from '../roles.js';

export interface Project {
  id: number;
  slug: string;
  name: string;
  createdAt: string;
}

export interface PublicKeyRecord {
  id: number;
  projectId: number;
  /** The first characters of the key, to tell keys apart; the key itself is stored hashed. */
  prefix: string;
  label: string;
  /** Origins allowed to send from a browser; empty means any. */
  allowedOrigins: string[];
  /** Events per minute for this key; null means the server default. */
  rateLimitPerMinute: number | null;
  createdAt: string;
}

/** What storage needs to create a public key; the key itself never reaches it, only its hash. */
export interface NewPublicKey {
  projectId: number;
  keyHash: string;
  prefix: string;
  label: string;
  allowedOrigins: string[];
  rateLimitPerMinute: number | null;
}

export interface TokenRecord {
  id: number;
  prefix: string;
  label: string;
  role: Role;
  /** Project ids the token may touch; null means every project. */
  projectIds: number[] | null;
  createdAt: string;
}

export interface Issue {
  id: string;
  projectId: number;
  title: string;
  culprit: string;
  type: string;
  value: string;
  level: Level;
  status: IssueStatus;
  count: number;
  userCount: number;
  firstSeen: string;
  lastSeen: string;
  release: string | null;
  environment: string | null;
  platform: string;
  fingerprint: string;
  groupingVersion: string;
}

/** What storage needs to create a secret token (hashed, like keys). */
export interface NewToken {
  tokenHash: string;
  prefix: string;
  label: string;
  role: Role;
  projectIds: number[] | null;
}

/**
 * An event after ingest: validated, normalized, grouped and serialized once. Plain JSON, so a queue can
 * carry it as it is; storage needs nothing else (no object tree to walk or re-serialize).
 */
export interface GroupedEvent {
  projectId: number;
  eventId: string;
  /** ISO time the server received it. */
  receivedAt: string;
  /** ISO time the event says it happened (clamped to the receive time). */
  timestamp: string;
  level: Level;
  platform: string;
  release: string | null;
  environment: string | null;
  /** Hex hash of the fingerprint components: the issue key within a project. */
  fingerprint: string;
  groupingVersion: string;
  /** Identifies the user for `userCount` (id, email, username or IP), or null. */
  userKey: string | null;
  /** Issue fields derived from this event. */
  meta: { title: string; culprit: string; type: string; value: string };
  /**
   * What search indexes keep of the event (text, tags and user, stack). Set at grouping, and carried by
   * the batch format from version 2; absent on events of older batches: derive it from the payload then.
   * Its text and frames are empty where an earlier event of the same request and fingerprint has the
   * same (ingest/search-repeats.ts): index an issue's text and frames from any of its events.
   */
  search?: EventSearchFields;
  /**
   * The event as UTF-8 JSON: what storage keeps, as it is, and gives back. Read it only with
   * `decodePayload`, which gives the canonical event: the JSON is either that event or the event as
   * its SDK sent it with what normalizing it needs (see ingest/event-payload.ts). Bytes rather than a
   * string: they move between threads without a copy, sit outside V8's heap while the batch fills (a
   * 50 KB string waiting there got copied by each young collection and then by an old one), and are what
   * a database or a queue is sent.
   */
  payload: Uint8Array;
}

export interface StoredEventRef {
  projectId: number;
  eventId: string;
  issueId: string;
  receivedAt: string;
}

export interface StoreBatchResult {
  /** Events written by this batch (duplicates of earlier events are left out). */
  stored: StoredEventRef[];
  /** Events dropped because their (projectId, eventId) was already stored. */
  duplicates: number;
  /** Issues this batch created, as they are after the batch. */
  created: Issue[];
  /** Issues that were resolved and this batch reopened. */
  regressed: Issue[];
}

export const ISSUE_SORTS = ['last_seen', 'first_seen', 'count'] as const;
export type IssueSort = (typeof ISSUE_SORTS)[number];

export interface IssueQuery {
  /** Undefined means any status. */
  status?: IssueStatus;
  level?: Level;
  release?: string;
  environment?: string;
  /** Free text matched against title, value and culprit. */
  text?: string;
  sort: IssueSort;
  /** Opaque cursor from an earlier page's `nextCursor`. */
  cursor?: string;
  /**
   * Random access instead of a cursor: skip this many issues (at most MAX_ISSUE_OFFSET); the page's
   * `nextCursor` goes on by keyset from its last issue.
   */
  offset?: number;
  /**
   * Count the matching issues (up to MAX_ISSUE_OFFSET) into the page's `total` and `totalCapped`. For a
   * page asked for by offset (or the first page); refused with a cursor.
   */
  total?: boolean;
  limit: number;
}

/** The deepest an issue list may be entered by `offset`, and how far its `total` is counted. */
export const MAX_ISSUE_OFFSET = 100_000;

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
  /** On lists that page both ways (an issue's events): the page before this one; null at the start. */
  prevCursor?: string | null;
  /**
   * Issue pages asked for with `total`: how many match the query, counted up to MAX_ISSUE_OFFSET;
   * `totalCapped` says the count stopped there.
   */
  total?: number;
  totalCapped?: boolean;
}

export const EVENT_ORDERS = ['desc', 'asc'] as const;
/** An issue's events newest first (`desc`, the default) or oldest first (`asc`). */
export type EventOrder = (typeof EVENT_ORDERS)[number];

export interface IssueEventsQuery {
  /** A `nextCursor` or `prevCursor` of an earlier page in the same order. */
  cursor?: string;
  limit: number;
  order?: EventOrder;
}

export interface StoredEvent {
  id: string;
  issueId: string;
  projectId: number;
  receivedAt: string;
  event: CanonicalEvent;
}

/** Events received in [from, to). */
export interface TimeRange {
  from: Date;
  to: Date;
}

/**
 * An event as storage keeps it: what an archive exports and `restoreEvents` writes back. Plain data,
 * so it can be written to a file as it is (`payload` is the stored bytes, read with `decodePayload`).
 */
export interface EventRecord {
  projectId: number;
  eventId: string;
  issueId: string;
  /** ISO time. */
  receivedAt: string;
  /** ISO time the event says it happened, or null. */
  timestamp: string | null;
  level: Level;
  release: string | null;
  environment: string | null;
  payload: Uint8Array;
}

/**
 * A span of time holding events: a daily partition in Postgres. Without a project, `rows` and `bytes`
 * are the range's (every project); with one, that project's rows and payload bytes in it.
 */
export interface EventTimeRange {
  /** ISO times: [from, to). */
  from: string;
  to: string;
  rows: number;
  /** Space the rows take (the partition's size, or the project's payload bytes). */
  bytes: number;
  /** The storage's own name for the range (a partition), or null. */
  partition: string | null;
}

export interface EventRangeFilter {
  projectId?: number;
  before?: Date;
}

export interface RestoreEventsResult {
  /** Events written. */
  restored: number;
  /** Events left out because (projectId, eventId) is already stored. */
  skipped: number;
}

/** One admin action, as the audit log keeps it: who, what, when, from where. */
export interface AuditEntry {
  id: string;
  /** ISO time of the action. */
  at: string;
  /** Who: `token:<prefix>`, `admin-token`, or what the host's authorize() named. */
  actor: string;
  /** What, as `area.verb`: `project.create`, `key.revoke`, `issue.update`, ... */
  action: string;
  projectId: number | null;
  /** The id of what was acted on, when there is one. */
  target: string | null;
  /** The client's address. */
  ip: string | null;
  /** What changed; never a secret (keys and tokens appear by prefix only). */
  details: Record<string, unknown>;
}
export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

export interface AuditQuery {
  /** Only these projects' entries (null: every entry, including those of no project). */
  projectIds: number[] | null;
  cursor?: string;
  limit: number;
}

/**
 * How long a project's events live. Events stay in the database for `hotDays`; after that they go to the
 * archive (when `archive` is on and an archive is configured) and their days are dropped. `deleteAfterDays`
 * ends an event for good: archives past it are removed and its id leaves the de-duplication table.
 * `maxEvents` is a second guard: a project holding more sends its oldest days out early.
 */
export interface RetentionPolicy {
  hotDays: number;
  archive: boolean;
  deleteAfterDays: number;
  /** Null: no cap. */
  maxEvents: number | null;
}

export const DEFAULT_RETENTION: Readonly<RetentionPolicy> = Object.freeze({ hotDays: 30, archive: true, deleteAfterDays: 90, maxEvents: null });

/** Where an event id was seen: kept after the event itself left the database (until `deleteAfterDays`). */
export interface EventRef {
  projectId: number;
  eventId: string;
  receivedAt: string;
}

export type StatsInterval = 'hour' | 'day';

export interface StatsQuery {
  since: Date;
  until: Date;
  interval: StatsInterval;
  issueId?: string;
}

export interface StatsPoint {
  t: string;
  count: number;
}

/**
 * The `storage` provider: exactly one per Faultline. Everything that touches the database goes through it.
 * Cursor strings are the provider's own; a malformed one is rejected with FAULTLINE_ERR_QUERY_CURSOR.
 */
export interface StorageProvider {
  /**
   * False when storeBatch never reads GroupedEvent.search (this storage keeps no search index): ingest
   * then leaves it out instead of building every event's and carrying it to storage. Absent means true.
   * A storage that reads it must still derive it from the payload where it is absent (older batches).
   */
  readonly indexesSearchFields?: boolean;
  /** Brings the schema up to date. Safe to call on every start and from several processes at once. */
  migrate(): Promise<void>;
  /** Resolves when the database answers; rejects otherwise. Used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;

  createProject(input: { name: string; slug: string }): Promise<Project>;
  listProjects(filter?: { ids?: number[] }): Promise<Project[]>;
  getProject(id: number): Promise<Project | null>;

  createPublicKey(input: NewPublicKey): Promise<PublicKeyRecord>;
  listPublicKeys(projectId: number): Promise<PublicKeyRecord[]>;
  /** Resolves false when the key does not exist in that project. */
  revokePublicKey(projectId: number, keyId: number): Promise<boolean>;
  /** A live (not revoked) key by the hash of its value. */
  findPublicKey(keyHash: string): Promise<PublicKeyRecord | null>;

  createToken(input: NewToken): Promise<TokenRecord>;
  findToken(tokenHash: string): Promise<TokenRecord | null>;
  listTokens(): Promise<TokenRecord[]>;
  revokeToken(tokenId: number): Promise<boolean>;

  /**
   * Writes one batch atomically: drops events whose (projectId, eventId) is already stored, upserts one
   * issue per (projectId, fingerprint) adding the batch's count, reopens resolved issues, writes the events.
   * Never a round trip per event.
   */
  storeBatch(events: GroupedEvent[]): Promise<StoreBatchResult>;

  listIssues(projectId: number, query: IssueQuery): Promise<Page<Issue>>;
  getIssue(issueId: string): Promise<Issue | null>;
  updateIssue(issueId: string, patch: { status: IssueStatus }): Promise<Issue | null>;
  /**
   * An issue's events in `order` (received time, then event id), paged both ways: `nextCursor` reads on,
   * `prevCursor` reads the page before (returned in the same order); a cursor of the other order is refused.
   */
  listIssueEvents(issueId: string, page: IssueEventsQuery): Promise<Page<StoredEvent>>;
  /** An event by id within the given projects (null: any project). */
  getEvent(eventId: string, projectIds: number[] | null): Promise<StoredEvent | null>;
  eventStats(projectId: number, query: StatsQuery): Promise<StatsPoint[]>;

  /**
   * True for exactly one caller per (name, slot), across every process on this storage: the schedule's
   * run for that slot is this caller's. `slot` is an ISO time. Claims are kept (a slot never fires twice).
   */
  claimScheduledRun(name: string, slot: string): Promise<boolean>;

  // What an archive needs (see providers/archive.ts).

  /**
   * The time ranges that hold events, oldest first; empty ranges may be left out. With `before`, only
   * ranges that end by then (a storage may answer more; retention asks so it need not count hot days).
   */
  listEventRanges(filter?: EventRangeFilter): Promise<EventTimeRange[]>;
  /**
   * A project's events received in the range, ordered by (receivedAt, eventId), read in chunks of
   * `batchSize` (default 500) so memory stays bounded whatever the range holds. Breaking out of the loop
   * releases what the read holds.
   */
  streamEvents(projectId: number, range: TimeRange, options?: { batchSize?: number }): AsyncIterable<EventRecord>;
  /**
   * Deletes events received in the range: one project's, or every project's without `projectId` (whole
   * partitions are dropped rather than deleted). Issues, counts, stats and event-id de-duplication stay.
   * Resolves the number of events removed.
   */
  dropEvents(range: TimeRange & { projectId?: number }): Promise<{ events: number }>;
  /**
   * Writes stored events back (from an archive), idempotent by (projectId, eventId): an event already
   * there is skipped. Issues and counts are not changed (they still count these events).
   */
  restoreEvents(events: EventRecord[]): Promise<RestoreEventsResult>;
  /** Appends to the audit log. */
  recordAudit(entry: NewAuditEntry): Promise<void>;
  /** The audit log, newest first. */
  listAudit(query: AuditQuery): Promise<Page<AuditEntry>>;

  // Alert rules, their delivery log and evaluation state (see providers/alert-rules.ts).

  createAlertRule(input: NewAlertRule): Promise<AlertRule>;
  /** Oldest first; every project's without a filter. */
  listAlertRules(filter?: { projectId?: number; enabled?: boolean }): Promise<AlertRule[]>;
  getAlertRule(id: string): Promise<AlertRule | null>;
  updateAlertRule(id: string, patch: AlertRulePatch): Promise<AlertRule | null>;
  /** Removes the rule with its deliveries and state; false when unknown. */
  deleteAlertRule(id: string): Promise<boolean>;
  /** Null when the rule already has a delivery with that key (nothing is written). */
  createAlertDelivery(input: NewAlertDelivery): Promise<AlertDelivery | null>;
  updateAlertDelivery(id: string, patch: AlertDeliveryPatch): Promise<AlertDelivery | null>;
  getAlertDelivery(id: string): Promise<AlertDelivery | null>;
  /** A rule's deliveries, newest first. */
  listAlertDeliveries(ruleId: string, query?: AlertDeliveryQuery): Promise<AlertDelivery[]>;
  /** Moves a digest window's deliveries (status `digest`) to `digested`; resolves those it moved, oldest first. */
  takeDigest(ruleId: string, digestKey: string): Promise<AlertDelivery[]>;
  /**
   * A throttle window: true (and the window now runs until `until`) for exactly one caller while no
   * window of (rule, key) runs at `now`; false while one does.
   */
  claimAlertWindow(ruleId: string, key: string, now: Date, until: Date): Promise<boolean>;
  /** Sets a latch of (rule, key) (initially off); true for exactly one caller whose call changed it. */
  setAlertLatch(ruleId: string, key: string, on: boolean): Promise<boolean>;
  /** Events received since `since` (of one issue, or the whole project), counted up to `limit` at most. */
  countEvents(projectId: number, query: { since: Date; issueId?: string; limit: number }): Promise<number>;
  /** Events, new issues and the busiest issues of a project in a range (for summaries). */
  projectActivity(projectId: number, range: TimeRange, top: number): Promise<ProjectActivity>;
  /** A project's own scrubbing rules (providers/scrubbing.ts); null when it never set any. */
  getScrubbing(projectId: number): Promise<ProjectScrubbing | null>;
  /** Replaces a project's scrubbing rules; the version grows by one with each call. */
  setScrubbing(projectId: number, rules: ScrubbingRules): Promise<ProjectScrubbing>;

  // Retention (see retention/ in core).

  /** The project's policy, or DEFAULT_RETENTION when none was set. */
  getRetention(projectId: number): Promise<RetentionPolicy>;
  setRetention(projectId: number, policy: RetentionPolicy): Promise<RetentionPolicy>;
  /**
   * An event id the de-duplication table still knows, within the given projects (null: any), whether or
   * not the event is still stored: tells "archived" from "never seen".
   */
  findEventRef(eventId: string, projectIds: number[] | null): Promise<EventRef | null>;
  /** Forgets the project's event ids received before `before` (retried events are then new). */
  pruneEventIds(projectId: number, before: Date): Promise<number>;
}
