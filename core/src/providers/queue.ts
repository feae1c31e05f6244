import type { GroupedEvent } from './storage.js';

/** Processes one batch; resolves when the batch is committed. A rejection means the whole batch failed. */
export type BatchProcessor = (batch: GroupedEvent[]) => Promise<void>;

/**
 * The `queue` provider carries accepted events from ingest to the processor.
 * The default is in-process; a Redis provider replaces it to spread work over `faultline worker`s.
 *
 * What crosses a process boundary: a batch of `GroupedEvent`s as the bytes of `encodeBatch(batch)`, and
 * nothing else (no functions, no class instances, no references to this process). The consumer hands
 * `decodeBatch(bytes)` to the processor. Core owns that encoding, so every queue carries the same
 * versioned format and a batch written by one Faultline version is read by the next; a queue never
 * serializes events its own way. Each event's `payload` is framed as it is (never re-encoded), so the
 * processor stores exactly the bytes ingest produced.
 */
export interface QueueProvider {
  readonly name: string;
  /**
   * Resolves once the events are durable: committed by the processor (in-process group commit) or
   * persisted by the queue (Redis). Rejects with FAULTLINE_ERR_INGEST_OVERLOADED when full.
   */
  enqueue(events: GroupedEvent[]): Promise<void>;
  /** Called once by core at start with the processor this node runs (not on ingest-only nodes). */
  consume(processor: BatchProcessor): void;
  start(): Promise<void>;
  /** Stops taking work, processes what is queued, then resolves. */
  stop(): Promise<void>;
  /** Events waiting to be processed, for metrics and readiness. */
  pending(): number;
}
