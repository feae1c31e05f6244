import { FaultlineError, type GroupedEvent } from '@faultline/core';
import { normalizeEventId } from './issue-row.js';

export interface Claimed {
  projectId: number;
  eventId: string;
  receivedAt: Date;
  source: GroupedEvent;
  /** Position in the caller's batch, so `stored` comes back in the caller's order. */
  index: number;
  /** Index into the batch's issue groups. */
  group: number;
}

export interface IssueGroup {
  projectId: number;
  fingerprint: string;
  count: number;
  /** The group's earliest and latest events, and when they were received. */
  first: GroupedEvent;
  last: GroupedEvent;
  firstSeen: Date;
  lastSeen: Date;
  /** Distinct user keys of the batch's events in this group. */
  users: Set<string>;
  /** '' until the issue is found or created. */
  issueId: string;
  /** The frames a new issue is found by (`issue_frames`, migration 0013): its batch's first event's. */
  frames?: IssueFrames | null;
  created: boolean;
}

/** `issue_frames.frames` and `events.fields` (migrations 0007, 0013): file names and functions of a stack. */
export interface IssueFrames {
  f: string[];
  fn: string[];
}

export const groupKey = (projectId: number, fingerprint: string) => `${projectId}\u0000${fingerprint}`;
export const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
export const compareBigint = (a: string, b: string) => a.length - b.length || compareText(a, b);

/** Drops repeats of an event id within the batch (first one wins), validates ids, sorts by key. */
export function uniqueEvents(events: GroupedEvent[]): Claimed[] {
  const seen = new Map<string, Claimed>();
  events.forEach((source, index) => {
    const eventId = normalizeEventId(source.eventId);
    if (eventId === null) {
      throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `Event ${index} has an invalid event id`);
    }
    const key = `${source.projectId}:${eventId}`;
    if (!seen.has(key)) {
      seen.set(key, { projectId: source.projectId, eventId, receivedAt: receivedAtOf(source, index), source, index, group: -1 });
    }
  });
  return [...seen.values()].sort((a, b) => a.projectId - b.projectId || compareText(a.eventId, b.eventId));
}

/** Times become SQL literals later, so the contract's ISO string is checked here, once. */
function receivedAtOf(source: GroupedEvent, index: number): Date {
  const at = new Date(source.receivedAt);
  if (Number.isNaN(at.getTime())) {
    throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `Event ${index} has an invalid receivedAt`);
  }
  return at;
}

/** The distinct (project, fingerprint) pairs of some events, sorted: the order issues are created in. */
export function fingerprints(events: Claimed[]): { projectIds: number[]; fingerprints: string[] } {
  const pairs = new Map<string, [number, string]>();
  for (const e of events) pairs.set(groupKey(e.projectId, e.source.fingerprint), [e.projectId, e.source.fingerprint]);
  const sorted = [...pairs.values()].sort((a, b) => a[0] - b[0] || compareText(a[1], b[1]));
  return { projectIds: sorted.map((p) => p[0]), fingerprints: sorted.map((p) => p[1]) };
}

export function groupByIssue(events: Claimed[]): IssueGroup[] {
  const byKey = new Map<string, IssueGroup>();
  for (const e of events) {
    const key = groupKey(e.projectId, e.source.fingerprint);
    const group = byKey.get(key);
    if (!group) {
      byKey.set(key, {
        projectId: e.projectId,
        fingerprint: e.source.fingerprint,
        count: 1,
        first: e.source,
        last: e.source,
        firstSeen: e.receivedAt,
        lastSeen: e.receivedAt,
        users: new Set(e.source.userKey ? [e.source.userKey] : []),
        issueId: '',
        created: false,
      });
      continue;
    }
    group.count++;
    if (e.source.userKey) group.users.add(e.source.userKey);
    if (e.receivedAt < group.firstSeen) {
      group.first = e.source;
      group.firstSeen = e.receivedAt;
    }
    if (e.receivedAt >= group.lastSeen) {
      group.last = e.source;
      group.lastSeen = e.receivedAt;
    }
  }
  const groups = [...byKey.values()].sort(
    (a, b) => a.projectId - b.projectId || compareText(a.fingerprint, b.fingerprint),
  );
  const index = new Map(groups.map((g, i) => [groupKey(g.projectId, g.fingerprint), i]));
  for (const e of events) e.group = index.get(groupKey(e.projectId, e.source.fingerprint))!;
  return groups;
}
