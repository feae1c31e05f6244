import type { QueueProvider } from './queue.js';

/** A queued batch that failed every retry and was set aside instead of being dropped. */
export interface QueueDeadLetter {
  /** The queue's own id of the batch. */
  id: string;
  projectIds: number[];
  eventIds: string[];
  /** The last failure, as the worker saw it. */
  error: string | null;
}

/**
 * What a queue that sets failed batches aside offers `faultline queue dead-letters list|replay`.
 * Optional: the in-process queue answers the client instead (its batches never outlive a request).
 */
export interface QueueDeadLetters {
  list(limit: number): Promise<QueueDeadLetter[]>;
  /** Queues the given batches (all when none given) again and removes them from the dead letters; resolves with how many. */
  replay(ids?: string[]): Promise<number>;
}

export function queueDeadLetters(queue: QueueProvider): QueueDeadLetters | null {
  const candidate = (queue as QueueProvider & { deadLetters?: QueueDeadLetters }).deadLetters;
  return candidate && typeof candidate.list === 'function' && typeof candidate.replay === 'function' ? candidate : null;
}
