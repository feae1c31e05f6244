import type { Level } from '../../event/types.js';
import type { Issue, Project, PublicKeyRecord, RetentionPolicy, TokenRecord } from '../../providers/storage.js';

export interface MemoryEvent {
  projectId: number;
  /** 32 lowercase hex digits. */
  eventId: string;
  issueId: string;
  receivedAt: number;
  /** ISO time the event says it happened, or null. */
  timestamp: string | null;
  level: Level;
  release: string | null;
  environment: string | null;
  payload: Uint8Array;
}

export interface MemoryIssue extends Issue {
  /** Distinct user keys seen, so userCount stays exact across batches. */
  users: Set<string>;
}

/** Everything the in-memory storage holds; its tables, as maps keyed like the Postgres ones. */
export class MemoryState {
  projects = new Map<number, Project>();
  publicKeys = new Map<number, PublicKeyRecord & { keyHash: string; revoked: boolean }>();
  tokens = new Map<number, TokenRecord & { tokenHash: string; revoked: boolean }>();
  issues = new Map<string, MemoryIssue>();
  /** `${projectId}\0${fingerprint}` -> issue id */
  issueByFingerprint = new Map<string, string>();
  /** `${projectId}:${eventId}` -> event */
  events = new Map<string, MemoryEvent>();
  /**
   * Every (project, event id) stored, with its receive time, kept when events are dropped so a retry stays
   * a duplicate, until retention prunes it (`pruneEventIds`).
   */
  eventIds = new Map<string, number>();
  /** Retention policies set per project (unset: DEFAULT_RETENTION). */
  retention = new Map<number, RetentionPolicy>();
  /** `${name}\0${slot}` of claimed scheduled runs. */
  scheduledRuns = new Set<string>();
  /** Hourly rollups, `${projectId}:${bucketMs}` and `${projectId}:${bucketMs}:${issueId}` -> count. */
  projectHours = new Map<string, number>();
  issueHours = new Map<string, number>();
  private lastId = { project: 0, key: 0, token: 0, issue: 0 };

  nextId(kind: keyof MemoryState['lastId']): number {
    return ++this.lastId[kind];
  }
}

export const HOUR_MS = 3_600_000;
export const fingerprintKey = (projectId: number, fingerprint: string) => `${projectId}\u0000${fingerprint}`;
export const eventKey = (projectId: number, eventId: string) => `${projectId}:${eventId}`;

/** A copy a caller may change without changing what is stored. */
export function publicIssue(issue: MemoryIssue): Issue {
  const { users: _users, ...rest } = issue;
  return { ...rest };
}
