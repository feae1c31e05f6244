import { DEFAULT_RETENTION, type EventRef, type RetentionPolicy } from '../../providers/storage.js';
import { normalizeEventId } from './memory-ids.js';
import type { MemoryState } from './memory-state.js';

/** Retention policies and the de-duplication table by age, as the Postgres storage keeps them. */
export class MemoryRetention {
  constructor(private readonly state: MemoryState) {}

  getRetention(projectId: number): RetentionPolicy {
    return { ...(this.state.retention.get(projectId) ?? DEFAULT_RETENTION) };
  }

  setRetention(projectId: number, policy: RetentionPolicy): RetentionPolicy {
    const stored = { hotDays: policy.hotDays, archive: policy.archive, deleteAfterDays: policy.deleteAfterDays, maxEvents: policy.maxEvents };
    this.state.retention.set(projectId, stored);
    return { ...stored };
  }

  findEventRef(eventId: string, projectIds: number[] | null): EventRef | null {
    const id = normalizeEventId(eventId);
    if (id === null) return null;
    for (const [key, receivedAt] of this.state.eventIds) {
      const [project, stored] = key.split(':');
      if (stored !== id) continue;
      const projectId = Number(project);
      if (projectIds !== null && !projectIds.includes(projectId)) continue;
      if (!this.state.projects.has(projectId)) continue;
      return { projectId, eventId: id, receivedAt: new Date(receivedAt).toISOString() };
    }
    return null;
  }

  pruneEventIds(projectId: number, before: Date): number {
    let pruned = 0;
    for (const [key, receivedAt] of this.state.eventIds) {
      if (receivedAt < before.getTime() && key.startsWith(`${projectId}:`)) {
        this.state.eventIds.delete(key);
        pruned += 1;
      }
    }
    return pruned;
  }
}
