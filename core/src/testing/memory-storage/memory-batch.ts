import { FaultlineError } from '../../errors.js';
import type { GroupedEvent, Issue, StoreBatchResult } from '../../providers/storage.js';
import { normalizeEventId } from './memory-ids.js';
import { eventKey, fingerprintKey, HOUR_MS, publicIssue, type MemoryIssue, type MemoryState } from './memory-state.js';

interface Fresh {
  source: GroupedEvent;
  eventId: string;
  receivedAt: number;
}

interface Group {
  projectId: number;
  fingerprint: string;
  events: Fresh[];
  first: Fresh;
  last: Fresh;
}

/**
 * storeBatch with the Postgres storage's semantics: the batch is checked whole before anything changes
 * (so it is atomic); an event id already stored, or repeated in the batch, is dropped (the first wins);
 * one issue per (project, fingerprint) takes its title from its earliest event and its level, release and
 * environment from its latest; a resolved issue the batch touches is reopened and reported as regressed.
 */
export function storeBatch(state: MemoryState, events: GroupedEvent[]): StoreBatchResult {
  const unique = uniqueEvents(events);
  const fresh = unique.filter((e) => !state.eventIds.has(eventKey(e.source.projectId, e.eventId)));
  const duplicates = events.length - fresh.length;
  if (fresh.length === 0) return { stored: [], duplicates, created: [], regressed: [] };

  const created: Issue[] = [];
  const regressed: Issue[] = [];
  const issueOf = new Map<Fresh, string>();
  for (const group of groupByIssue(fresh)) {
    const key = fingerprintKey(group.projectId, group.fingerprint);
    const existingId = state.issueByFingerprint.get(key);
    const issue = existingId ? state.issues.get(existingId)! : createIssue(state, group);
    if (existingId) {
      const wasResolved = updateIssue(issue, group);
      if (wasResolved) regressed.push(publicIssue(issue));
    } else {
      state.issueByFingerprint.set(key, issue.id);
      created.push(publicIssue(issue));
    }
    for (const e of group.events) issueOf.set(e, issue.id);
  }

  for (const e of fresh) {
    const issueId = issueOf.get(e)!;
    const projectId = e.source.projectId;
    state.eventIds.set(eventKey(projectId, e.eventId), e.receivedAt);
    state.events.set(eventKey(projectId, e.eventId), {
      projectId,
      eventId: e.eventId,
      issueId,
      receivedAt: e.receivedAt,
      timestamp: isoOrNull(e.source.timestamp),
      level: e.source.level,
      release: e.source.release,
      environment: e.source.environment,
      payload: e.source.payload.slice(),
    });
    const bucket = Math.floor(e.receivedAt / HOUR_MS) * HOUR_MS;
    increment(state.projectHours, `${projectId}:${bucket}`);
    increment(state.issueHours, `${projectId}:${bucket}:${issueId}`);
  }
  return {
    stored: fresh.map((e) => ({
      projectId: e.source.projectId,
      eventId: e.eventId,
      issueId: issueOf.get(e)!,
      receivedAt: new Date(e.receivedAt).toISOString(),
    })),
    duplicates,
    created,
    regressed,
  };
}

/** Checks every event before anything is written; drops repeats within the batch, keeping order. */
function uniqueEvents(events: GroupedEvent[]): Fresh[] {
  const seen = new Map<string, Fresh>();
  events.forEach((source, index) => {
    const eventId = normalizeEventId(source.eventId);
    if (eventId === null) throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `Event ${index} has an invalid event id`);
    const receivedAt = Date.parse(source.receivedAt);
    if (Number.isNaN(receivedAt)) {
      throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `Event ${index} has an invalid receivedAt`);
    }
    const key = eventKey(source.projectId, eventId);
    if (!seen.has(key)) seen.set(key, { source, eventId, receivedAt });
  });
  return [...seen.values()];
}

/** Groups by (project, fingerprint), sorted as Postgres creates them, so new issue ids come in that order. */
function groupByIssue(events: Fresh[]): Group[] {
  const groups = new Map<string, Group>();
  for (const e of events) {
    const key = fingerprintKey(e.source.projectId, e.source.fingerprint);
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { projectId: e.source.projectId, fingerprint: e.source.fingerprint, events: [e], first: e, last: e });
      continue;
    }
    group.events.push(e);
    if (e.receivedAt < group.first.receivedAt) group.first = e;
    if (e.receivedAt >= group.last.receivedAt) group.last = e;
  }
  return [...groups.values()].sort(
    (a, b) => a.projectId - b.projectId || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0),
  );
}

function createIssue(state: MemoryState, group: Group): MemoryIssue {
  const { first, last } = group;
  const users = usersOf(group);
  const issue: MemoryIssue = {
    id: String(state.nextId('issue')),
    projectId: group.projectId,
    title: first.source.meta.title,
    culprit: first.source.meta.culprit,
    type: first.source.meta.type,
    value: first.source.meta.value,
    level: last.source.level,
    status: 'unresolved',
    count: group.events.length,
    userCount: users.size,
    firstSeen: new Date(first.receivedAt).toISOString(),
    lastSeen: new Date(last.receivedAt).toISOString(),
    release: last.source.release,
    environment: last.source.environment,
    platform: first.source.platform,
    fingerprint: group.fingerprint,
    groupingVersion: first.source.groupingVersion,
    users,
  };
  state.issues.set(issue.id, issue);
  return issue;
}

/** Adds a batch's events to an existing issue; returns whether it was resolved (a regression). */
function updateIssue(issue: MemoryIssue, group: Group): boolean {
  const { first, last } = group;
  const lastSeen = Date.parse(issue.lastSeen);
  for (const user of usersOf(group)) issue.users.add(user);
  issue.count += group.events.length;
  issue.userCount = issue.users.size;
  if (first.receivedAt < Date.parse(issue.firstSeen)) issue.firstSeen = new Date(first.receivedAt).toISOString();
  if (last.receivedAt >= lastSeen) {
    issue.lastSeen = new Date(last.receivedAt).toISOString();
    issue.level = last.source.level;
    issue.release = last.source.release;
    issue.environment = last.source.environment;
  }
  const wasResolved = issue.status === 'resolved';
  if (wasResolved) issue.status = 'unresolved';
  return wasResolved;
}

function usersOf(group: Group): Set<string> {
  return new Set(group.events.map((e) => e.source.userKey).filter((u): u is string => u != null && u !== ''));
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** A time as ISO, or null when it is not one (Postgres keeps such an event with no timestamp). */
function isoOrNull(time: string): string | null {
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
