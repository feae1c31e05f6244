import type { Logger } from 'pino';
import type { CanonicalEvent } from '../event/types.js';
import type { HookRegistry } from '../hooks/hook-registry.js';
import type { Metrics } from '../metrics.js';
import { decodePayload, type GroupedEvent, type StoreBatchResult, type StorageProvider } from '../providers/storage.js';

export interface BatchProcessorDeps {
  storage: StorageProvider;
  hooks: HookRegistry;
  metrics: Metrics;
  log: Logger;
  /** Notifications run after the commit and are never awaited by ingest; stop() waits for them. */
  track(promise: Promise<unknown>): void;
}

/** Stores a batch of grouped events in one transaction, then fires the notify hooks. */
export function createBatchProcessor(deps: BatchProcessorDeps) {
  const { storage, hooks, metrics, log } = deps;

  return async function processBatch(batch: GroupedEvent[]): Promise<void> {
    const endTimer = metrics.batchSeconds.startTimer();
    try {
      const result = await storage.storeBatch(batch);
      metrics.batchSize.observe(batch.length);
      metrics.eventsStored.inc(result.stored.length);
      if (result.duplicates) metrics.eventsDuplicate.inc(result.duplicates);
      if (result.created.length) metrics.issuesCreated.inc(result.created.length);
      if (result.regressed.length) metrics.issuesRegressed.inc(result.regressed.length);
      deps.track(notify(batch, result, hooks));
    } catch (err) {
      metrics.batchFailures.inc();
      log.error({ err, size: batch.length }, 'batch failed');
      throw err;
    } finally {
      endTimer();
    }
  };
}

/** Events are parsed back into objects only for the hooks that have handlers. */
async function notify(batch: GroupedEvent[], result: StoreBatchResult, hooks: HookRegistry): Promise<void> {
  const announceCreated = result.created.length > 0 && hooks.has('issue:created');
  const announceRegressed = result.regressed.length > 0 && hooks.has('issue:regressed');
  if (announceCreated || announceRegressed) {
    // The batch's first event of an issue is the one that opened (or reopened) it.
    const firstByKey = new Map<string, GroupedEvent>();
    for (const e of batch) {
      const key = `${e.projectId}:${e.fingerprint}`;
      if (!firstByKey.has(key)) firstByKey.set(key, e);
    }
    const eventFor = (issue: { projectId: number; fingerprint: string }): CanonicalEvent =>
      decodePayload(firstByKey.get(`${issue.projectId}:${issue.fingerprint}`)!.payload);
    await Promise.all([
      ...(announceCreated ? result.created.map((issue) => hooks.notify('issue:created', { issue, event: eventFor(issue) })) : []),
      ...(announceRegressed ? result.regressed.map((issue) => hooks.notify('issue:regressed', { issue, event: eventFor(issue) })) : []),
    ]);
  }
  if (result.stored.length && hooks.has('event:stored')) {
    const payloadOf = new Map(batch.map((e) => [`${e.projectId}:${e.eventId}`, e.payload]));
    await hooks.notify('event:stored', {
      events: result.stored.map((ref) => ({ ...ref, event: decodePayload(payloadOf.get(`${ref.projectId}:${ref.eventId}`)!) })),
    });
  }
}
