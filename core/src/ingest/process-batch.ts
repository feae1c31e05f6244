import type { Logger } from 'pino';
import type { AcceptedEvent } from '../event/types.js';
import type { HookRegistry } from '../hooks/hook-registry.js';
import type { Metrics } from '../metrics.js';
import type { GroupedEvent, StorageProvider } from '../providers/storage.js';
import { GROUPING_VERSION, hashFingerprint, resolveFingerprint } from './fingerprint.js';
import { issueMeta, userKey } from './issue-meta.js';

export interface BatchProcessorDeps {
  storage: StorageProvider;
  hooks: HookRegistry;
  metrics: Metrics;
  log: Logger;
  /** Notifications run after the commit and are never awaited by ingest; stop() waits for them. */
  track(promise: Promise<unknown>): void;
}

/** Groups a batch into issues, stores it in one transaction, then fires the notify hooks. */
export function createBatchProcessor(deps: BatchProcessorDeps) {
  const { storage, hooks, metrics, log } = deps;

  return async function processBatch(batch: AcceptedEvent[]): Promise<void> {
    const endTimer = metrics.batchSeconds.startTimer();
    try {
      const grouped = await groupBatch(batch, hooks);
      const result = await storage.storeBatch(grouped);
      metrics.batchSize.observe(batch.length);
      metrics.eventsStored.inc(result.stored.length);
      if (result.duplicates) metrics.eventsDuplicate.inc(result.duplicates);
      if (result.created.length) metrics.issuesCreated.inc(result.created.length);
      if (result.regressed.length) metrics.issuesRegressed.inc(result.regressed.length);
      deps.track(notify(batch, grouped, result, hooks));
    } catch (err) {
      metrics.batchFailures.inc();
      log.error({ err, size: batch.length }, 'batch failed');
      throw err;
    } finally {
      endTimer();
    }
  };
}

async function groupBatch(batch: AcceptedEvent[], hooks: HookRegistry): Promise<GroupedEvent[]> {
  const tapped = hooks.has('ingest:fingerprint');
  const out: GroupedEvent[] = new Array(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const { projectId, receivedAt, event } = batch[i];
    let components = resolveFingerprint(event);
    if (tapped) components = await hooks.waterfall('ingest:fingerprint', components, { projectId, event });
    out[i] = {
      projectId,
      eventId: event.event_id,
      receivedAt: new Date(receivedAt),
      event,
      fingerprint: hashFingerprint(components),
      groupingVersion: GROUPING_VERSION,
      userKey: userKey(event),
      meta: issueMeta(event),
    };
  }
  return out;
}

async function notify(
  batch: AcceptedEvent[],
  grouped: GroupedEvent[],
  result: Awaited<ReturnType<StorageProvider['storeBatch']>>,
  hooks: HookRegistry,
): Promise<void> {
  if (result.created.length || result.regressed.length) {
    // The first event of the batch for each issue's fingerprint is the one that opened (or reopened) it.
    const firstByKey = new Map<string, AcceptedEvent>();
    for (let i = 0; i < grouped.length; i++) {
      const key = `${grouped[i].projectId}:${grouped[i].fingerprint}`;
      if (!firstByKey.has(key)) firstByKey.set(key, batch[i]);
    }
    const eventFor = (issue: { projectId: number; fingerprint: string }) => firstByKey.get(`${issue.projectId}:${issue.fingerprint}`)!;
    await Promise.all([
      ...result.created.map((issue) => hooks.notify('issue:created', { issue, event: eventFor(issue) })),
      ...result.regressed.map((issue) => hooks.notify('issue:regressed', { issue, event: eventFor(issue) })),
    ]);
  }
  if (result.stored.length && hooks.has('event:stored')) {
    const byId = new Map(grouped.map((g) => [`${g.projectId}:${g.eventId}`, g.event]));
    await hooks.notify('event:stored', {
      events: result.stored.map((ref) => ({ ...ref, event: byId.get(`${ref.projectId}:${ref.eventId}`)! })),
    });
  }
}
