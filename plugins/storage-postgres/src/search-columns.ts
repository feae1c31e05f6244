import { decodePayload, eventSearchFields, type EventSearchFields, type GroupedEvent } from '@faultline/core';
import { TagObservations } from './tag-counts.js';
import { isUserField, UserPairs } from './user-pairs.js';
import type { IssueFrames } from './batch-groups.js';

/** The events table's `search_text` and `fields` (migration 0007) for one event. */
export interface SearchColumns {
  /** Null when an earlier event of the batch in the same issue had this text. */
  text: string | null;
  /**
   * JSON for the jsonb column, `{"f": file names, "fn": functions}`; null when the event has no frames or
   * an earlier event of the batch in the same issue had these. Tags are not kept here: see `tags`.
   */
  fields: string | null;
}

/** What an issue is found by itself: its `search` column (migration 0001) but the culprit, and its frames (`issue_frames`, 0013). */
export interface IssueText {
  title: string;
  type: string;
  value: string;
  frames: IssueFrames | null;
}

/**
 * One batch's search columns, issue tags and user pairs. An issue is found by any one of its events, and
 * its events mostly repeat the same text and (grouping made them one issue) the same frames: those repeats
 * within the batch stay out of the events' GIN indexes. Tags, level, release and environment are counted
 * per (issue, key, value) here (`tags`), for `issue_tags`; users per (issue, user) with their search
 * fields (`users`), for `issue_users` (store-batch.ts). Call `of` only for the events the batch stores
 * (not the duplicates it dropped), so that no event is counted twice.
 *
 * The fields come from grouping; an event of a batch queued in format version 1 comes without them, and
 * its payload is decoded for them here.
 */
export class BatchSearchColumns {
  /** Per issue, the texts already kept by an event of this batch or by the issue itself. */
  private readonly texts = new Map<string, Set<string>>();
  /** Per issue, the frames already kept by an event of this batch (nearly always one list). */
  private readonly frames = new Map<string, EventSearchFields[]>();
  readonly tags = new TagObservations();
  readonly users = new UserPairs();

  /**
   * `index: false` (bench:ingest --no-search-index) writes no search columns, counts no tags and keeps no
   * user fields; it still counts users, which the issue's user count needs.
   */
  constructor(private readonly index = true) {}

  /**
   * What the issue is found by itself: an event whose text is the issue's value, or its type and value as
   * the event's text puts them (eventSearchFields), or whose frames are the issue's, is found through the
   * issue, so that text or those frames stay out of the events' indexes. Most events of an issue repeat both.
   */
  issueHas(issueId: string, issue: IssueText): void {
    const { title, type, value, frames } = issue;
    if (frames) this.frames.set(issueId, [{ text: '', tags: {}, filenames: frames.f, functions: frames.fn }]);
    const texts = this.textsOf(issueId);
    if (title.startsWith(type)) texts.add(type !== '' && value !== '' ? `${type} ${value}` : type + value);
    texts.add(value);
  }

  of(event: GroupedEvent, issueId: string, receivedAt: Date): SearchColumns {
    const { projectId, userKey } = event;
    if (!this.index) {
      if (userKey) this.users.add(projectId, issueId, userKey, null);
      return { text: null, fields: null };
    }
    const s: EventSearchFields = event.search ?? eventSearchFields(decodePayload(event.payload));
    if (userKey) this.users.add(projectId, issueId, userKey, s.tags);
    const text = s.text !== '' && this.firstText(issueId, s.text) ? s.text : null;
    const frames = s.filenames.length + s.functions.length > 0 && this.firstFrames(issueId, s);
    const at = receivedAt.getTime();
    const tags = this.tags;
    for (const key in s.tags) if (!shadowed(event, key)) tags.add(projectId, issueId, key, s.tags[key], at);
    tags.add(projectId, issueId, 'level', event.level, at);
    if (event.release !== null) tags.add(projectId, issueId, 'release', event.release, at);
    if (event.environment !== null) tags.add(projectId, issueId, 'environment', event.environment, at);
    return { text, fields: frames ? JSON.stringify({ f: s.filenames, fn: s.functions }) : null };
  }

  private firstText(issueId: string, text: string): boolean {
    const texts = this.textsOf(issueId);
    if (texts.has(text)) return false;
    texts.add(text);
    return true;
  }

  private textsOf(issueId: string): Set<string> {
    let texts = this.texts.get(issueId);
    if (texts === undefined) this.texts.set(issueId, (texts = new Set()));
    return texts;
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

/**
 * A tag named level, release or environment gives way to the event's own (as tag summaries always had
 * it); the user's fields are kept with the user (`users`).
 */
function shadowed(event: GroupedEvent, key: string): boolean {
  return key === 'level' || isUserField(key) || (key === 'release' && event.release !== null) || (key === 'environment' && event.environment !== null);
}
