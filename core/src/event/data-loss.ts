/**
 * Whether mapping or normalizing an event dropped or shortened something its client sent (a string
 * past the limit, old breadcrumbs, a malformed list entry). Ingest keeps an event's bytes as sent only
 * when the canonical event is all of them: a scrubber that saw the canonical event and changed nothing
 * has then seen everything that will be stored (ingest/prepare-events.ts).
 */
export interface DataLoss {
  lossy: boolean;
}

