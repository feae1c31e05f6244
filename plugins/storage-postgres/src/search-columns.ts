import { decodePayload, eventSearchFields, type EventSearchFields, type GroupedEvent } from '@faultline/core';

/** The events table's `search_text` and `fields` (migration 0007) for one event. */
export interface SearchColumns {
  text: string;
  /** JSON for the jsonb column: `{"t": tags and user.*, "f": file names, "fn": functions}`. */
  fields: string;
}

/**
 * From the fields grouping made; an event that crossed a queue comes without them (the batch format
 * does not carry them), and its payload is decoded for them here.
 */
export function searchColumns(event: GroupedEvent): SearchColumns {
  const s: EventSearchFields = event.search ?? eventSearchFields(decodePayload(event.payload));
  return { text: s.text, fields: JSON.stringify(fieldsDocument(s)) };
}

export function fieldsDocument(s: EventSearchFields): { t: Record<string, string>; f: string[]; fn: string[] } {
  return { t: s.tags, f: s.filenames, fn: s.functions };
}
