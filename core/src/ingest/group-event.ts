import type { CanonicalEvent } from '../event/types.js';
import type { HookRegistry } from '../hooks/hook-registry.js';
import type { GroupedEvent } from '../providers/storage.js';
import { GROUPING_VERSION, hashFingerprint, resolveFingerprint } from './fingerprint.js';
import { issueMeta, userKey } from './issue-meta.js';

const encoder = new TextEncoder(); // always a fresh ArrayBuffer, never Node's shared Buffer pool, so it can be transferred

/** Groups one normalized event, letting `ingest:fingerprint` plugins change the components. */
export async function groupEvent(projectId: number, receivedAt: string, event: CanonicalEvent, hooks: HookRegistry): Promise<GroupedEvent> {
  let components = resolveFingerprint(event);
  if (hooks.has('ingest:fingerprint')) components = await hooks.waterfall('ingest:fingerprint', components, { projectId, event });
  return toGroupedEvent(projectId, receivedAt, event, components);
}

/**
 * The event as it travels from here on: its columns, its group, and itself serialized, once. A string
 * is a few heap objects instead of hundreds while it waits for its batch, and needs no serializing
 * inside the storage transaction (or to cross a thread or a Redis queue).
 */
export function toGroupedEvent(projectId: number, receivedAt: string, event: CanonicalEvent, components: readonly string[]): GroupedEvent {
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
    payload: encoder.encode(JSON.stringify(event)),
  };
}
