import { FaultlineError } from '../../errors.js';
import type { EventRangeFilter, EventRecord, EventTimeRange, RestoreEventsResult, TimeRange } from '../../providers/storage.js';
import { normalizeEventId } from './memory-ids.js';
import { eventKey, type MemoryEvent, type MemoryState } from './memory-state.js';

const DAY_MS = 86_400_000;

/**
 * What an archive needs, in memory: the UTC days that hold events (the Postgres storage's daily
 * partitions), a project's events read out in (receivedAt, eventId) order, ranges dropped, events restored.
 * Dropping keeps issues, counts, rollups and the claimed event ids, as Postgres does.
 */
export class MemoryArchive {
  constructor(private readonly state: MemoryState) {}

  listEventRanges(filter: EventRangeFilter = {}): EventTimeRange[] {
    const days = new Map<number, { rows: number; bytes: number }>();
    const before = filter.before?.getTime();
    for (const e of this.state.events.values()) {
      if (filter.projectId !== undefined && e.projectId !== filter.projectId) continue;
      if (before !== undefined && Math.floor(e.receivedAt / DAY_MS) * DAY_MS + DAY_MS > before) continue;
      const day = Math.floor(e.receivedAt / DAY_MS) * DAY_MS;
      const totals = days.get(day) ?? { rows: 0, bytes: 0 };
      totals.rows++;
      totals.bytes += e.payload.byteLength;
      days.set(day, totals);
    }
    return [...days.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([day, { rows, bytes }]) => ({
        from: new Date(day).toISOString(),
        to: new Date(day + DAY_MS).toISOString(),
        rows,
        bytes,
        partition: null,
      }));
  }

  /** Reads a chunk at a time after the last key seen, so events stored or dropped meanwhile behave as in Postgres. */
  async *streamEvents(projectId: number, range: TimeRange, options: { batchSize?: number } = {}): AsyncIterable<EventRecord> {
    const limit = Math.max(1, Math.min(options.batchSize ?? 500, 10_000));
    const [from, to] = checkedRange(range);
    let after: MemoryEvent | null = null;
    for (;;) {
      const chunk = [...this.state.events.values()]
        .filter((e) => e.projectId === projectId && e.receivedAt >= from && e.receivedAt < to && (after === null || compareKey(e, after) > 0))
        .sort(compareKey)
        .slice(0, limit);
      for (const e of chunk) yield toRecord(e);
      if (chunk.length < limit) return;
      after = chunk[chunk.length - 1];
    }
  }

  dropEvents(range: TimeRange & { projectId?: number }): { events: number } {
    const [from, to] = checkedRange(range);
    let events = 0;
    for (const [key, e] of this.state.events) {
      if (range.projectId !== undefined && e.projectId !== range.projectId) continue;
      if (e.receivedAt < from || e.receivedAt >= to) continue;
      this.state.events.delete(key);
      events++;
    }
    return { events };
  }

  restoreEvents(events: EventRecord[]): RestoreEventsResult {
    const fresh = new Map<string, MemoryEvent>();
    events.forEach((record, index) => {
      const eventId = normalizeEventId(record.eventId);
      const receivedAt = Date.parse(record.receivedAt);
      if (eventId === null || Number.isNaN(receivedAt)) {
        throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `Event ${index} has an invalid event id or receivedAt`);
      }
      const key = eventKey(record.projectId, eventId);
      if (this.state.events.has(key) || fresh.has(key)) return;
      fresh.set(key, {
        projectId: record.projectId,
        eventId,
        issueId: record.issueId,
        receivedAt,
        timestamp: record.timestamp,
        level: record.level,
        release: record.release,
        environment: record.environment,
        payload: record.payload.slice(),
      });
    });
    for (const [key, e] of fresh) {
      this.state.events.set(key, e);
      this.state.eventIds.set(key, e.receivedAt);
    }
    return { restored: fresh.size, skipped: events.length - fresh.size };
  }

  claimScheduledRun(name: string, slot: string): boolean {
    const key = `${name}\u0000${slot}`;
    if (this.state.scheduledRuns.has(key)) return false;
    this.state.scheduledRuns.add(key);
    return true;
  }
}

function checkedRange(range: TimeRange): [number, number] {
  const from = range.from instanceof Date ? range.from.getTime() : NaN;
  const to = range.to instanceof Date ? range.to.getTime() : NaN;
  if (Number.isNaN(from) || Number.isNaN(to)) throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', 'A time range needs from and to');
  return [from, to];
}

const compareKey = (a: MemoryEvent, b: MemoryEvent) =>
  a.receivedAt - b.receivedAt || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

function toRecord(e: MemoryEvent): EventRecord {
  return {
    projectId: e.projectId,
    eventId: e.eventId,
    issueId: e.issueId,
    receivedAt: new Date(e.receivedAt).toISOString(),
    timestamp: e.timestamp,
    level: e.level,
    release: e.release,
    environment: e.environment,
    payload: e.payload.slice(),
  };
}
