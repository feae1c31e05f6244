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
  private readonly texts = new Set<string>();
  /** Per issue, the frames already kept by an event of this batch (nearly always one list). */
  private readonly frames = new Map<string, EventSearchFields[]>();
  /** Counts by issue, key and value: sorting a few of each at a time is cheap, sorting all rows is not. */
  private readonly tags = new Map<string, Map<string, Map<string, IssueTagRow>>>();

  /** `index: false` (bench:ingest --no-search-index) writes no search columns and counts no tags. */
  constructor(private readonly index = true) {}

  of(event: GroupedEvent, issueId: string, receivedAt: Date): SearchColumns {
    if (!this.index) return { text: null, fields: null };
    const s: EventSearchFields = event.search ?? eventSearchFields(decodePayload(event.payload));
    const text = s.text !== '' && this.firstText(`${issueId}\u0000${s.text}`) ? s.text : null;
    const frames = s.filenames.length + s.functions.length > 0 && this.firstFrames(issueId, s);
    let issue = this.tags.get(issueId);
    if (issue === undefined) this.tags.set(issueId, (issue = new Map()));
    const { projectId } = event;
    for (const key in s.tags) if (!shadowed(event, key)) count(issue, projectId, issueId, key, s.tags[key], receivedAt);
    count(issue, projectId, issueId, 'level', event.level, receivedAt);
    if (event.release !== null) count(issue, projectId, issueId, 'release', event.release, receivedAt);
    if (event.environment !== null) count(issue, projectId, issueId, 'environment', event.environment, receivedAt);
    return { text, fields: frames ? JSON.stringify({ f: s.filenames, fn: s.functions }) : null };
  }

  /**
   * The batch's tag counts in (issue, key, value) order, the order every batch upserts (and so locks)
   * them in. Issue ids are unique across projects, so the project needs no place in the order.
   */
  tagRows(): IssueTagRow[] {
    const rows: IssueTagRow[] = [];
    for (const issueId of [...this.tags.keys()].sort(compareBigint)) {
      const issue = this.tags.get(issueId)!;
      for (const key of [...issue.keys()].sort(compareText)) {
        const values = issue.get(key)!;
        for (const value of [...values.keys()].sort(compareText)) rows.push(values.get(value)!);
      }
    }
    return rows;
  }

  private firstText(key: string): boolean {
    if (this.texts.has(key)) return false;
    this.texts.add(key);
    return true;
  }

  private firstFrames(issueId: string, s: EventSearchFields): boolean {
    const kept = this.frames.get(issueId);
    if (kept === undefined) {
      this.frames.set(issueId, [s]);
      return true;
    }
    if (kept.some((k) => sameStrings(k.filenames, s.filenames) && sameStrings(k.functions, s.functions))) return false;
    kept.push(s);
    return true;
  }
}

function sameStrings(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A tag named level, release or environment gives way to the event's own (as tag summaries always had it). */
function shadowed(event: GroupedEvent, key: string): boolean {
  return key === 'level' || (key === 'release' && event.release !== null) || (key === 'environment' && event.environment !== null);
}

function count(issue: Map<string, Map<string, IssueTagRow>>, projectId: number, issueId: string, key: string, value: string, at: Date): void {
  let values = issue.get(key);
  if (values === undefined) issue.set(key, (values = new Map()));
  const row = values.get(value);
  if (row === undefined) {
    values.set(value, { projectId, issueId, key, value, count: 1, firstSeen: at, lastSeen: at });
    return;
  }
  row.count++;
  if (at < row.firstSeen) row.firstSeen = at;
  if (at > row.lastSeen) row.lastSeen = at;
}
