import type { CanonicalEvent } from '../event/types.js';
import type { GroupedEvent } from '../providers/storage.js';
import { GROUPING_VERSION, hashFingerprint } from './fingerprint.js';
import { issueMeta, userKey } from './issue-meta.js';
import { eventSearchFields } from './search-fields.js';

/**
 * The event as it travels from here on: its columns, its group, and its payload (event-payload.ts):
 * bytes instead of hundreds of heap objects while it waits for its batch, with nothing to serialize
 * inside the storage transaction (or to cross a thread or a Redis queue). Without `searchFields` (the
 * storage keeps no search index) it has no `search`.
 */
export function toGroupedEvent(
  projectId: number,
  receivedAt: string,
  event: CanonicalEvent,
  components: readonly string[],
  payload: Uint8Array,
  searchFields = true,
): GroupedEvent {
  const grouped = {
    projectId,
    eventId: event.event_id,
    receivedAt,
    timestamp: event.timestamp,
    level: event.level,
    platform: event.platform,
    release: typeof event.release === 'string' ? event.release : null,
    environment: typeof event.environment === 'string' ? event.environment : null,
    fingerprint: hashFingerprint(components),
    groupingVersion: GROUPING_VERSION,
    userKey: userKey(event),
    meta: issueMeta(event),
  } as GroupedEvent;
  // Added in this order whether or not there is a `search`, so every event has the same key order.
  if (searchFields) grouped.search = eventSearchFields(event);
  grouped.payload = payload;
  return grouped;
}
