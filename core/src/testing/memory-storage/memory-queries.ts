import { FaultlineError } from '../../errors.js';
import { decodePayload } from '../../ingest/event-payload.js';
import {
  ISSUE_SORTS,
  ISSUE_STATUSES,
  type Issue,
  type IssueQuery,
  type IssueStatus,
  type Page,
  type StatsPoint,
  type StatsQuery,
  type StoredEvent,
} from '../../providers/storage.js';
import { decodeCursor, encodeCursor } from './memory-cursor.js';
import { compareIds, isIssueId, MAX_STATS_POINTS, normalizeEventId, pageSize } from './memory-ids.js';
import { matchesText } from './memory-text-search.js';
import { HOUR_MS, publicIssue, type MemoryEvent, type MemoryIssue, type MemoryState } from './memory-state.js';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Reads, with the Postgres storage's orderings, limits and checks of cursors and arguments. */
export class MemoryQueries {
  constructor(private readonly state: MemoryState) {}

  /** Keyset pages on (sort value, id), biggest first, as the Postgres storage pages them. */
  listIssues(projectId: number, query: IssueQuery): Page<Issue> {
    if (!ISSUE_SORTS.includes(query.sort)) {
      throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', `Unknown sort "${String(query.sort)}"`);
    }
    const limit = pageSize(query.limit);
    const kind = `issues:${query.sort}`;
    const sortValue = (i: MemoryIssue) => (query.sort === 'count' ? i.count : Date.parse(query.sort === 'last_seen' ? i.lastSeen : i.firstSeen));
    let after: { value: number; id: string } | null = null;
    if (query.cursor !== undefined) {
      const position = decodeCursor(query.cursor, kind);
      const valid = (query.sort === 'count' ? /^\d{1,19}$/ : ISO_TIME).test(position.value) && isIssueId(position.id);
      if (!valid) throw new FaultlineError('FAULTLINE_ERR_QUERY_CURSOR', 'Cursor is not one this server issued');
      after = { value: query.sort === 'count' ? Number(position.value) : Date.parse(position.value), id: position.id };
    }
    const text = query.text?.trim() ? query.text : undefined;
    const rows = [...this.state.issues.values()]
      .filter(
        (i) =>
          i.projectId === projectId &&
          (query.status === undefined || i.status === query.status) &&
          (query.level === undefined || i.level === query.level) &&
          (query.release === undefined || i.release === query.release) &&
          (query.environment === undefined || i.environment === query.environment) &&
          (text === undefined || matchesText(`${i.title} ${i.value} ${i.culprit}`, text)) &&
          (after === null || sortValue(i) < after.value || (sortValue(i) === after.value && compareIds(i.id, after.id) < 0)),
      )
      .sort((a, b) => sortValue(b) - sortValue(a) || compareIds(b.id, a.id));
    return page(rows, limit, publicIssue, (last) =>
      encodeCursor(kind, query.sort === 'count' ? String(last.count) : new Date(sortValue(last)).toISOString(), last.id),
    );
  }

  getIssue(issueId: string): Issue | null {
    const issue = this.state.issues.get(issueId);
    return issue ? publicIssue(issue) : null;
  }

  updateIssue(issueId: string, patch: { status: IssueStatus }): Issue | null {
    if (!ISSUE_STATUSES.includes(patch.status)) {
      throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `Unknown status "${String(patch.status)}"`, { path: 'status' });
    }
    const issue = this.state.issues.get(issueId);
    if (!issue) return null;
    issue.status = patch.status;
    return publicIssue(issue);
  }

  /** An issue's events, newest first, ties by event id ascending. */
  listIssueEvents(issueId: string, request: { cursor?: string; limit: number }): Page<StoredEvent> {
    const limit = pageSize(request.limit);
    let after: { at: number; id: string } | null = null;
    if (request.cursor !== undefined) {
      const position = decodeCursor(request.cursor, 'events');
      if (!ISO_TIME.test(position.value) || normalizeEventId(position.id) !== position.id) {
        throw new FaultlineError('FAULTLINE_ERR_QUERY_CURSOR', 'Cursor is not one this server issued');
      }
      after = { at: Date.parse(position.value), id: position.id };
    }
    const rows = [...this.state.events.values()]
      .filter((e) => e.issueId === issueId && (after === null || e.receivedAt < after.at || (e.receivedAt === after.at && e.eventId > after.id)))
      .sort((a, b) => b.receivedAt - a.receivedAt || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
    return page(rows, limit, toStoredEvent, (last) => encodeCursor('events', new Date(last.receivedAt).toISOString(), last.eventId));
  }

  getEvent(eventId: string, projectIds: number[] | null): StoredEvent | null {
    const id = normalizeEventId(eventId);
    if (id === null) return null;
    const allowed = projectIds ?? [...this.state.projects.keys()];
    for (const projectId of allowed) {
      const event = this.state.events.get(`${projectId}:${id}`);
      if (event) return toStoredEvent(event);
    }
    return null;
  }

  /** Counts per hour or UTC day from the hourly rollups, every bucket present (zeros included). */
  eventStats(projectId: number, query: StatsQuery): StatsPoint[] {
    const { since, until, interval } = query;
    if (interval !== 'hour' && interval !== 'day') {
      throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', 'interval must be "hour" or "day"', { path: 'interval' });
    }
    if (!(since instanceof Date) || !(until instanceof Date) || Number.isNaN(since.getTime()) || Number.isNaN(until.getTime()) || until <= since) {
      throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', 'since must be a time before until', { path: 'since' });
    }
    const step = interval === 'hour' ? HOUR_MS : 24 * HOUR_MS;
    if ((until.getTime() - since.getTime()) / step > MAX_STATS_POINTS) {
      throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', `At most ${MAX_STATS_POINTS} points per query`, { path: 'since' });
    }
    if (query.issueId !== undefined && !isIssueId(query.issueId)) return [];
    const start = Math.floor(since.getTime() / step) * step;
    const counts = new Map<number, number>();
    const rollup = query.issueId === undefined ? this.state.projectHours : this.state.issueHours;
    for (const [key, count] of rollup) {
      const [project, bucketText, issueId] = key.split(':');
      const bucket = Number(bucketText);
      if (Number(project) !== projectId || (query.issueId !== undefined && issueId !== query.issueId)) continue;
      if (bucket < start || bucket >= until.getTime()) continue;
      const t = Math.floor(bucket / step) * step;
      counts.set(t, (counts.get(t) ?? 0) + count);
    }
    const points: StatsPoint[] = [];
    for (let t = start; t < until.getTime(); t += step) points.push({ t: new Date(t).toISOString(), count: counts.get(t) ?? 0 });
    return points;
  }
}

function page<Row, Item>(rows: Row[], limit: number, toItem: (row: Row) => Item, cursorOf: (last: Row) => string): Page<Item> {
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  return { data: kept.map(toItem), nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}

function toStoredEvent(e: MemoryEvent): StoredEvent {
  return {
    id: e.eventId,
    issueId: e.issueId,
    projectId: e.projectId,
    receivedAt: new Date(e.receivedAt).toISOString(),
    event: decodePayload(e.payload),
  };
}
