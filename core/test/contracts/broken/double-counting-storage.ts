import { randomBytes } from 'node:crypto';
import type { GroupedEvent, StoreBatchResult } from '../../../src/providers/storage.js';
import { MemoryStorage } from '../../../src/testing/index.js';

/** Wrong on purpose: stores a retried event again under a new id, so a retry counts twice. */
export class DoubleCountingStorage extends MemoryStorage {
  private readonly seen = new Set<string>();

  override storeBatch(events: GroupedEvent[]): Promise<StoreBatchResult> {
    return super.storeBatch(
      events.map((e) => {
        const key = `${e.projectId}:${e.eventId}`;
        if (!this.seen.has(key)) {
          this.seen.add(key);
          return e;
        }
        return { ...e, eventId: randomBytes(16).toString('hex') };
      }),
    );
  }
}
