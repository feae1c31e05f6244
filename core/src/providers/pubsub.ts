import type { CanonicalEvent, Level } from '../event/types.js';
import type { Issue } from './storage.js';

/** One stored event, as `event:stored` announces it: the fields a live view or a rule needs, no payload. */
export interface StoredEventSummary {
  projectId: number;
  eventId: string;
  issueId: string;
  receivedAt: string;
  level: Level;
  environment: string | null;
  release: string | null;
}

/**
 * What crosses processes on the `pubsub` seam. Every message is plain JSON (a Redis provider sends it as
 * it is), so it carries summaries and issues, never bytes or class instances.
 */
export interface PubSubMessages {
  /** Once per committed batch, with every event it stored. */
  'event:stored': { events: StoredEventSummary[] };
  /** `event` is the batch's first event of the issue (the one that opened it). */
  'issue:created': { issue: Issue; event: CanonicalEvent };
  'issue:regressed': { issue: Issue; event: CanonicalEvent };
  /** A status change (by a person, the API or the CLI). */
  'issue:updated': { issue: Issue; previous: Issue };
}
export type PubSubTopic = keyof PubSubMessages;
export const PUBSUB_TOPICS: readonly PubSubTopic[] = ['event:stored', 'issue:created', 'issue:regressed', 'issue:updated'];

export type PubSubHandler<T extends PubSubTopic> = (message: PubSubMessages[T]) => void | Promise<void>;

/**
 * The `pubsub` provider: fan-out of what happened to every subscriber on every node. The live stream and
 * alert rules subscribe here, not to hooks, so they see work done by any worker process.
 * Delivery is at most once per subscriber and best effort (a node that is down misses messages); what must
 * not be missed goes through `jobs`.
 */
export interface PubSubProvider {
  readonly name: string;
  /** Resolves once the message is handed to the transport (not when subscribers have run). */
  publish<T extends PubSubTopic>(topic: T, message: PubSubMessages[T]): Promise<void>;
  /** Returns a function that unsubscribes. A handler that throws is logged by the provider, never rethrown. */
  subscribe<T extends PubSubTopic>(topic: T, handler: PubSubHandler<T>): () => void;
  start?(): Promise<void>;
  /** Stops delivering and closes connections. */
  stop?(): Promise<void>;
}

/** The items of a message (or any list) grouped by project, each group in the list's order. Linear. */
export function groupByProject<T extends { projectId: number }>(items: readonly T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const group = groups.get(item.projectId);
    if (group) group.push(item);
    else groups.set(item.projectId, [item]);
  }
  return groups;
}
