import { eventSearchFields, type CanonicalEvent } from '@faultline/core';

/** One event as the index keeps it (event-index.ts has the mapping). */
export interface EventDocument {
  project_id: number;
  issue_id: string;
  event_id: string;
  received_at: string;
  level: string;
  release: string | null;
  environment: string | null;
  error_type: string | null;
  text: string;
  tags: { key: string; value: string }[];
  stack: { filename: string[]; function: string[] };
}

export function eventDocument(ref: { projectId: number; issueId: string; eventId: string; receivedAt: string }, event: CanonicalEvent): EventDocument {
  const fields = eventSearchFields(event);
  const values = event.exception?.values ?? [];
  const main = values[values.length - 1];
  return {
    project_id: ref.projectId,
    issue_id: ref.issueId,
    event_id: ref.eventId,
    received_at: ref.receivedAt,
    level: event.level,
    release: typeof event.release === 'string' ? event.release : null,
    environment: typeof event.environment === 'string' ? event.environment : null,
    error_type: typeof main?.type === 'string' ? main.type : null,
    text: fields.text,
    tags: Object.entries(fields.tags).map(([key, value]) => ({ key, value })),
    stack: { filename: fields.filenames, function: fields.functions },
  };
}
