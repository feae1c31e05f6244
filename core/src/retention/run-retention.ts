import type { Logger } from 'pino';
import { FaultlineError } from '../errors.js';
import type { Metrics } from '../metrics.js';
import type { ArchiveProvider } from '../providers/archive.js';
import type { StorageProvider } from '../providers/storage.js';
import { planRetention, type ProjectDayPlan, type RetentionPlan } from './plan-retention.js';

/** Progress of a run, for a progress bar: `done` of `total` steps, the current one named. */
export type RetentionProgress = (event: { done: number; total: number; step: string }) => void;

export interface RetentionReport {
  plan: RetentionPlan;
  archivesWritten: number;
  eventsArchived: number;
  partitionsDropped: number;
  eventsDropped: number;
  eventIdsPruned: number;
  archivesRemoved: number;
  /** Steps that failed; what depended on them (dropping that day) was left for the next run. */
  failures: Array<{ step: string; error: string }>;
}

export interface RetentionDeps {
  storage: StorageProvider;
  archive: ArchiveProvider | null;
  log: Logger;
  metrics?: Metrics;
}

/**
 * Carries out the plan: for each day to drop, exports what must be archived (the archive verifies before
 * it resolves), then drops the day's partition; then the capped days, the de-duplication records and the
 * expired archives. A day whose export fails is not dropped. A run stopped at any point leaves nothing
 * half done that the next run cannot finish: exports are recognised by the archive's list, drops are
 * whole transactions.
 */
export async function runRetention(deps: RetentionDeps, options: { now?: Date; onProgress?: RetentionProgress; signal?: AbortSignal } = {}): Promise<RetentionReport> {
  const { storage, archive, log } = deps;
  const plan = await planRetention(storage, archive, options.now ?? new Date(), { all: false });
  const report: RetentionReport = { plan, archivesWritten: 0, eventsArchived: 0, partitionsDropped: 0, eventsDropped: 0, eventIdsPruned: 0, archivesRemoved: 0, failures: [] };
  const drops = plan.partitions.filter((p) => p.drop);
  const total = drops.length + plan.capped.length + plan.pruneEventIds.length + plan.removeArchives.length;
  let done = 0;
  const progress = (step: string) => options.onProgress?.({ done: done++, total, step });

  async function exported(day: ProjectDayPlan): Promise<void> {
    if (day.action !== 'archive') return;
    if (!archive) throw new FaultlineError('FAULTLINE_ERR_PROVIDER_MISSING', 'No archive is configured');
    const record = await archive.exportRange({ projectId: day.projectId, from: new Date(day.from), to: new Date(day.to) });
    if (record.events < day.rows) {
      throw new FaultlineError('FAULTLINE_ERR_ARCHIVE_CORRUPT', `Archive ${record.id} holds ${record.events} events, the day has ${day.rows}`);
    }
    report.archivesWritten += 1;
    report.eventsArchived += record.events;
  }

  async function step(name: string, work: () => Promise<void>): Promise<void> {
    options.signal?.throwIfAborted();
    progress(name);
    try {
      await work();
    } catch (err) {
      if (options.signal?.aborted) throw err;
      log.error({ err, step: name }, 'retention step failed');
      report.failures.push({ step: name, error: err instanceof Error ? err.message : String(err) });
    }
  }

  for (const partition of drops) {
    await step(`drop ${partition.partition}`, async () => {
      for (const day of partition.projects) await exported(day);
      const { events } = await storage.dropEvents({ from: new Date(partition.from), to: new Date(partition.to) });
      report.partitionsDropped += 1;
      report.eventsDropped += events;
    });
  }
  for (const day of plan.capped) {
    await step(`cap project ${day.projectId} ${day.from.slice(0, 10)}`, async () => {
      await exported(day);
      const { events } = await storage.dropEvents({ projectId: day.projectId, from: new Date(day.from), to: new Date(day.to) });
      report.eventsDropped += events;
    });
  }
  for (const prune of plan.pruneEventIds) {
    await step(`prune event ids of project ${prune.projectId}`, async () => {
      report.eventIdsPruned += await storage.pruneEventIds(prune.projectId, new Date(prune.before));
    });
  }
  for (const record of plan.removeArchives) {
    await step(`remove archive ${record.id}`, async () => {
      await archive!.remove!(record.id);
      report.archivesRemoved += 1;
    });
  }
  options.onProgress?.({ done, total, step: 'done' });
  deps.metrics?.retentionEvents.inc({ action: 'archived' }, report.eventsArchived);
  deps.metrics?.retentionEvents.inc({ action: 'dropped' }, report.eventsDropped);
  deps.metrics?.retentionEvents.inc({ action: 'event_id_pruned' }, report.eventIdsPruned);
  deps.metrics?.retentionFailures.inc(report.failures.length);
  log.info(
    { partitionsDropped: report.partitionsDropped, eventsArchived: report.eventsArchived, eventsDropped: report.eventsDropped, eventIdsPruned: report.eventIdsPruned, failures: report.failures.length },
    'retention run finished',
  );
  return report;
}
