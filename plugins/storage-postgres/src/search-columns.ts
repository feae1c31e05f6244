import { decodePayload, eventSearchFields, type EventSearchFields, type GroupedEvent } from '@faultline/core';

/** The events table's `search_text` and `fields` (migration 0007) for one event. */
export interface SearchColumns {
  /** Null when an earlier event of the batch in the same issue had this text. */
  text: string | null;
  /**
   * JSON for the jsonb column: `{"t": tags and user.*, "f": file names, "fn": functions}`; `f` and `fn`
   * only when no earlier event of the batch in the same issue had these frames.
   */
  fields: string;
}

/**
 * One batch's search columns. An issue is found by any one of its events, and its events mostly repeat
 * the same text and (grouping made them one issue) the same frames: those repeats within the batch stay
 * out of the GIN indexes, which is most of what indexing costs at ingest. Tags stay on every event, as
 * tag summaries count them. The fields come from grouping; an event that crossed a queue comes without
 * them (the batch format does not carry them), and its payload is decoded for them here.
 */
export class BatchSearchColumns {
  private readonly seen = new Set<string>();

  of(event: GroupedEvent, issueId: string): SearchColumns {
    const s: EventSearchFields = event.search ?? eventSearchFields(decodePayload(event.payload));
    const text = s.text !== '' && this.first(`t\u0000${issueId}\u0000${s.text}`) ? s.text : null;
    const hasFrames = s.filenames.length + s.functions.length > 0;
    const frames = hasFrames && this.first(`f\u0000${issueId}\u0000${s.filenames.join('\u0000')}\u0000\u0000${s.functions.join('\u0000')}`);
    return { text, fields: JSON.stringify(frames ? { t: s.tags, f: s.filenames, fn: s.functions } : { t: s.tags }) };
  }

  private first(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
}
