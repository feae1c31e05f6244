import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import type { ArchiveProvider } from '../providers/archive.js';
import { jobType, type JobsProvider } from '../providers/jobs.js';
import type { StorageProvider } from '../providers/storage.js';
import { planRetention, type RetentionPlan } from './plan-retention.js';
import { runRetention, type RetentionProgress, type RetentionReport } from './run-retention.js';

export const RETENTION_JOB = jobType<Record<string, never>>('retention:run');
export const DEFAULT_RETENTION_CRON = '17 3 * * *';

export interface Retention {
  /** What a run now would do; changes nothing. */
  plan(now?: Date): Promise<RetentionPlan>;
  run(options?: { now?: Date; onProgress?: RetentionProgress; signal?: AbortSignal }): Promise<RetentionReport>;
  /** Defines the job and its nightly schedule on `jobs` (before it starts). */
  schedule(jobs: JobsProvider, when?: { cron: string; timezone?: string }): void;
}

/** Retention bound to a Faultline's storage and archive. */
export function createRetention(deps: { storage: () => StorageProvider; archive: () => ArchiveProvider | null; log: Logger; metrics?: Metrics }): Retention {
  const bound = () => ({ storage: deps.storage(), archive: deps.archive(), log: deps.log, metrics: deps.metrics });
  return {
    plan: (now = new Date()) => planRetention(deps.storage(), deps.archive(), now),
    run: (options) => runRetention(bound(), options),
    schedule(jobs, when = { cron: DEFAULT_RETENTION_CRON }) {
      jobs.define(
        RETENTION_JOB,
        async function retentionJob(_payload, ctx) {
          const report = await runRetention(bound(), { signal: ctx.signal });
          // Failed steps throw so the job is retried; what succeeded is not redone (see runRetention).
          if (report.failures.length > 0) throw new Error(`retention: ${report.failures.length} step(s) failed: ${report.failures[0].error}`);
        },
        { attempts: 3, backoff: { initialMs: 60_000 }, deadlineMs: 6 * 3_600_000 },
      );
      jobs.schedule('faultline:retention', { cron: when.cron, timezone: when.timezone ?? 'UTC' }, RETENTION_JOB, {});
    },
  };
}
