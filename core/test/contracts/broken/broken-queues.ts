import type { BatchProcessor } from '../../../src/providers/queue.js';
import type { GroupedEvent } from '../../../src/providers/storage.js';
import { InProcessQueue } from '../../../src/queue/in-process-queue.js';

const options = (maxPending: number) => ({ maxSize: 100, maxWaitMs: 2, maxPending, concurrency: 2 });

/** Wrong on purpose: answers an enqueue at once, before its events are committed. */
export class EarlyResolvingQueue extends InProcessQueue {
  constructor(maxPending: number) {
    super(options(maxPending));
  }
  override enqueue(events: GroupedEvent[]): Promise<void> {
    super.enqueue(events).catch(() => undefined);
    return Promise.resolve();
  }
}

/** Wrong on purpose: what is still queued when stop() is called is answered as done but never committed. */
export class LossyQueue extends InProcessQueue {
  private dropping = false;
  constructor(maxPending: number) {
    super(options(maxPending));
  }
  override consume(processor: BatchProcessor): void {
    super.consume(async (batch) => {
      if (!this.dropping) await processor(batch);
    });
  }
  override stop(): Promise<void> {
    this.dropping = true;
    return super.stop();
  }
}
