import { decodePayload, eventSearchFields, type EventSearchFields, type GroupedEvent } from '@faultline/core';
import { compareBigint, compareText } from './batch-groups.js';

/** The events table's `search_text` and `fields` (migration 0007) for one event. */
export interface SearchColumns {
  /** Null when an earlier event of the batch in the same issue had this text. */
  text: string | null;
  /**
   * JSON for the jsonb column, `{"f": file names, "fn": functions}`; null when the event has no frames or
   * an earlier event of the batch in the same issue had these. Tags are not kept here: see IssueTagRow.
   */
  fields: string | null;
}

/** One row of `issue_tags` (migration 0009): how many of the batch's events of an issue had a tag. */
export interface IssueTagRow {
  projectId: number;
  issueId: string;
  key: string;
  value: string;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
}

/**
 * One batch's search columns and issue tags. An issue is found by any one of its events, and its events
 * mostly repeat the same text and (grouping made them one issue) the same frames: those repeats within
 * the batch stay out of the events' GIN indexes. Tags, user fields, level, release and environment are
 * counted per (issue, key, value) here and upserted once per batch into `issue_tags`. Call `of` only for
 * the events the batch stores (not the duplicates it dropped), so that no event is counted twice.
 *
 * The fields come from grouping; an event that crossed a queue comes without them (the batch format does
 * not carry them), and its payload is decoded for them here.
 */
export class BatchSearchColumns {
  private readonly seen = new Set<string>();
  private readonly tags = new Map<string, IssueTagRow>();

  /** `index: false` (bench:ingest --no-search-index) writes no search columns and counts no tags. */
  constructor(private readonly index = true) {}

  of(event: GroupedEvent, issueId: string, receivedAt: Date): SearchColumns {
    if (!this.index) return { text: null, fields: null };
    const s: EventSearchFields = event.search ?? eventSearchFields(decodePayload(event.payload));
    const text = s.text !== '' && this.first(`t\u0000${issueId}\u0000${s.text}`) ? s.text : null;
    const hasFrames = s.filenames.length + s.functions.length > 0;
    const frames = hasFrames && this.first(`f\u0000${issueId}\u0000${s.filenames.join('\u0000')}\u0000\u0000${s.functions.join('\u0000')}`);
    for (const key in s.tags) if (!this.shadowed(event, key)) this.count(event.projectId, issueId, key, s.tags[key], receivedAt);
    this.count(event.projectId, issueId, 'level', event.level, receivedAt);
    if (event.release !== null) this.count(event.projectId, issueId, 'release', event.release, receivedAt);
    if (event.environment !== null) this.count(event.projectId, issueId, 'environment', event.environment, receivedAt);
    return { text, fields: frames ? JSON.stringify({ f: s.filenames, fn: s.functions }) : null };
  }

  /** The batch's tag counts in key order, the order every batch upserts (and so locks) them in. */
  tagRows(): IssueTagRow[] {
    return [...this.tags.values()].sort(
      (a, b) => a.projectId - b.projectId || compareBigint(a.issueId, b.issueId) || compareText(a.key, b.key) || compareText(a.value, b.value),
    );
  }

  /** A tag named level, release or environment gives way to the event's own (as tag summaries always had it). */
  private shadowed(event: GroupedEvent, key: string): boolean {
    return key === 'level' || (key === 'release' && event.release !== null) || (key === 'environment' && event.environment !== null);
  }

  private count(projectId: number, issueId: string, key: string, value: string, at: Date): void {
    const id = `${issueId}\u0000${key}\u0000${value}`;
    const row = this.tags.get(id);
    if (row === undefined) {
      this.tags.set(id, { projectId, issueId, key, value, count: 1, firstSeen: at, lastSeen: at });
      return;
    }
    row.count++;
    if (at < row.firstSeen) row.firstSeen = at;
    if (at > row.lastSeen) row.lastSeen = at;
  }

  private first(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
}
