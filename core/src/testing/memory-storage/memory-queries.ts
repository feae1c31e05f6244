import { FaultlineError } from '../../errors.js';
import { decodePayload } from '../../ingest/event-payload.js';
import {
  ISSUE_SORTS,
  ISSUE_STATUSES,
  type Issue,
  type IssueEventsQuery,
  type IssueQuery,
  type IssueStatus,
  MAX_ISSUE_OFFSET,
  type Page,
  type StatsPoint,
  type StatsQuery,
  type StoredEvent,
  EVENT_ORDERS,
  type EventOrder,
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
    const offset = issueOffset(query);
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
    const result = page(offset === undefined ? rows : rows.slice(offset), limit, publicIssue, (last) =>
      encodeCursor(kind, query.sort === 'count' ? String(last.count) : new Date(sortValue(last)).toISOString(), last.id),
    );
    if (!query.total) return result;
    return { ...result, total: Math.min(rows.length, MAX_ISSUE_OFFSET), totalCapped: rows.length > MAX_ISSUE_OFFSET };
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

  /**
   * An issue's events, newest first (ties by event id ascending) or the exact reverse, paged both ways as
   * the Postgres storage pages them: a `prev` cursor reads backwards from its position and the page is
   * turned back to the order asked for.
   */
  listIssueEvents(issueId: string, request: IssueEventsQuery): Page<StoredEvent> {
    const limit = pageSize(request.limit);
    const order = eventOrder(request.order);
    let from: { at: number; id: string; backwards: boolean } | null = null;
    if (request.cursor !== undefined) {
      const position = decodeCursor(request.cursor, [eventCursorKind(order, false), eventCursorKind(order, true)]);
      const backwards = position.kind === eventCursorKind(order, true);
      if (!ISO_TIME.test(position.value) || normalizeEventId(position.id) !== position.id) {
        throw new FaultlineError('FAULTLINE_ERR_QUERY_CURSOR', 'Cursor is not one this server issued');
      }
      from = { at: Date.parse(position.value), id: position.id, backwards };
    }
    // Newest first is (receivedAt desc, eventId asc); reading oldest first flips both.
    const newestFirst = (order === 'desc') !== (from?.backwards ?? false);
    const compare = (a: MemoryEvent, b: { receivedAt: number; eventId: string }) => {
      const c = b.receivedAt - a.receivedAt || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
      return newestFirst ? c : -c;
    };
    const rows = [...this.state.events.values()]
      .filter((e) => e.issueId === issueId && (from === null || compare(e, { receivedAt: from.at, eventId: from.id }) > 0))
      .sort(compare);
    const kept = rows.slice(0, limit);
    const more = rows.length > limit;
    const cursorAt = (e: { receivedAt: number; eventId: string }, backwards: boolean) =>
      encodeCursor(eventCursorKind(order, backwards), new Date(e.receivedAt).toISOString(), e.eventId);
    const here = from && { receivedAt: from.at, eventId: from.id };
    if (from?.backwards) {
      kept.reverse();
      return {
        data: kept.map(toStoredEvent),
        prevCursor: more ? cursorAt(kept[0], true) : null,
        nextCursor: kept.length > 0 ? cursorAt(kept[kept.length - 1], false) : here && cursorAt(here, false),
      };
    }
    return {
      data: kept.map(toStoredEvent),
      nextCursor: more ? cursorAt(kept[kept.length - 1], false) : null,
      prevCursor: here && (kept.length > 0 ? cursorAt(kept[0], true) : cursorAt(here, true)),
    };
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

function issueOffset(query: IssueQuery): number | undefined {
  if (query.total && query.cursor !== undefined) {
    throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', 'total is counted for pages asked for by offset, not by cursor', { path: 'total' });
  }
  if (query.offset === undefined) return undefined;
  if (!Number.isInteger(query.offset) || query.offset < 0 || query.offset > MAX_ISSUE_OFFSET) {
    throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', `offset must be an integer from 0 to ${MAX_ISSUE_OFFSET}`, { path: 'offset' });
  }
  if (query.cursor !== undefined) throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', 'Give either cursor or offset, not both', { path: 'offset' });
  return query.offset;
}

function eventOrder(order: unknown): EventOrder {
  if (order === undefined) return 'desc';
  if (!EVENT_ORDERS.includes(order as EventOrder)) {
    throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', 'order must be "desc" or "asc"', { path: 'order' });
  }
  return order as EventOrder;
}

/** `events` (newest first, reading on), as before orders existed; `:asc` and `:prev` mark the others. */
function eventCursorKind(order: EventOrder, backwards: boolean): string {
  return `events${order === 'asc' ? ':asc' : ''}${backwards ? ':prev' : ''}`;
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
