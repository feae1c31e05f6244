import type { CanonicalEvent } from '../event/types.js';
import type { HookRegistry } from '../hooks/hook-registry.js';
import type { GroupedEvent } from '../providers/storage.js';
import { GROUPING_VERSION, hashFingerprint, resolveFingerprint } from './fingerprint.js';
import { issueMeta, userKey } from './issue-meta.js';

/**
 * Groups one normalized event and serializes it, once. From here on the event travels as a string:
 * a few heap objects instead of hundreds while it waits for its batch, and no serializing inside the
 * storage transaction.
 */
export async function groupEvent(projectId: number, receivedAt: string, event: CanonicalEvent, hooks: HookRegistry): Promise<GroupedEvent> {
  let components = resolveFingerprint(event);
  if (hooks.has('ingest:fingerprint')) components = await hooks.waterfall('ingest:fingerprint', components, { projectId, event });
  return {
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
    payload: JSON.stringify(event),
  };
}
