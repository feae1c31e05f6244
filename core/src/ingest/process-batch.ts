import type { Logger } from 'pino';
import type { CanonicalEvent } from '../event/types.js';
import type { HookRegistry } from '../hooks/hook-registry.js';
import type { Metrics } from '../metrics.js';
import { OutageLog } from './outage-log.js';
import type { PubSubProvider, StoredEventSummary } from '../providers/pubsub.js';
import type { GroupedEvent, Issue, StoreBatchResult, StorageProvider } from '../providers/storage.js';
import { decodePayload } from './event-payload.js';

export interface BatchProcessorDeps {
  storage: StorageProvider;
  hooks: HookRegistry;
  pubsub: PubSubProvider;
  metrics: Metrics;
  log: Logger;
  /** Notifications run after the commit and are never awaited by ingest; stop() waits for them. */
  track(promise: Promise<unknown>): void;
}

/** Stores a batch of grouped events in one transaction, then fires the notify hooks and publishes on pubsub. */
export function createBatchProcessor(deps: BatchProcessorDeps) {
  const { storage, hooks, pubsub, metrics, log } = deps;
  const outage = new OutageLog(log);

  return async function processBatch(batch: GroupedEvent[]): Promise<void> {
    const endTimer = metrics.batchSeconds.startTimer();
    try {
      const result = await storage.storeBatch(batch);
      outage.succeeded();
      metrics.batchSize.observe(batch.length);
      metrics.eventsStored.inc(result.stored.length);
      if (result.duplicates) metrics.eventsDuplicate.inc(result.duplicates);
      if (result.created.length) metrics.issuesCreated.inc(result.created.length);
      if (result.regressed.length) metrics.issuesRegressed.inc(result.regressed.length);
      deps.track(notify(batch, result, hooks));
      deps.track(publish(batch, result, pubsub));
    } catch (err) {
      metrics.batchFailures.inc();
      outage.failed(err, batch.length);
      throw err;
    } finally {
      endTimer();
    }
  };
}

/** The batch's first event of an issue is the one that opened (or reopened) it. */
function firstEventOf(batch: GroupedEvent[]): (issue: Issue) => CanonicalEvent {
  const firstByKey = new Map<string, GroupedEvent>();
  for (const e of batch) {
    const key = `${e.projectId}:${e.fingerprint}`;
    if (!firstByKey.has(key)) firstByKey.set(key, e);
  }
  return (issue) => decodePayload(firstByKey.get(`${issue.projectId}:${issue.fingerprint}`)!.payload);
}

/**
 * The batch's event with a project and id (of two, the later), looked up per project rather than by a
 * key string built per event: a batch nearly always holds one project, so that is one map of ids.
 */
function eventFinder(batch: GroupedEvent[]): (projectId: number, eventId: string) => GroupedEvent {
  const projects = new Map<string, Map<string, GroupedEvent>>();
  for (const e of batch) {
    const project = String(e.projectId);
    let ids = projects.get(project);
    if (ids === undefined) projects.set(project, (ids = new Map()));
    ids.set(e.eventId, e);
  }
  return (projectId, eventId) => projects.get(String(projectId))!.get(eventId)!;
}

/** Events are parsed back into objects only for the hooks that have handlers. */
async function notify(batch: GroupedEvent[], result: StoreBatchResult, hooks: HookRegistry): Promise<void> {
  const announceCreated = result.created.length > 0 && hooks.has('issue:created');
  const announceRegressed = result.regressed.length > 0 && hooks.has('issue:regressed');
  if (announceCreated || announceRegressed) {
    const eventFor = firstEventOf(batch);
    await Promise.all([
      ...(announceCreated ? result.created.map((issue) => hooks.run('issue:created', { issue, event: eventFor(issue) })) : []),
      ...(announceRegressed ? result.regressed.map((issue) => hooks.run('issue:regressed', { issue, event: eventFor(issue) })) : []),
    ]);
  }
  if (result.stored.length && hooks.has('event:stored')) {
    const find = eventFinder(batch);
    await hooks.run('event:stored', {
      events: result.stored.map((ref) => withFields(ref, { event: decodePayload(find(ref.projectId, ref.eventId).payload) })),
    });
  }
}

/**
 * Publishes what the batch did for subscribers on any node. `event:stored` carries summaries built from
 * the grouped events' own fields, so no payload is decoded per event; only new and reopened issues
 * (rare next to events) decode their first event.
 */
async function publish(batch: GroupedEvent[], result: StoreBatchResult, pubsub: PubSubProvider): Promise<void> {
  const sends: Promise<void>[] = [];
  if (result.created.length || result.regressed.length) {
    const eventFor = firstEventOf(batch);
    for (const issue of result.created) sends.push(pubsub.publish('issue:created', { issue, event: eventFor(issue) }));
    for (const issue of result.regressed) sends.push(pubsub.publish('issue:regressed', { issue, event: eventFor(issue) }));
  }
  if (result.stored.length) {
    const find = eventFinder(batch);
    const events: StoredEventSummary[] = result.stored.map((ref) => {
      const e = find(ref.projectId, ref.eventId);
      return withFields(ref, { level: e.level, environment: e.environment, release: e.release });
    });
    sends.push(pubsub.publish('event:stored', { events }));
  }
  await Promise.all(sends);
}

/**
 * `{ ...ref, ...fields }` for a ref of storage (plain data, so the same object), made with Object.assign:
 * an object spread of a fresh object costs far more per event in Node 20's V8 (bench:ingest profiles).
 */
function withFields<R extends object, F extends object>(ref: R, fields: F): R & F {
  return Object.assign(Object.assign({}, ref), fields);
}
