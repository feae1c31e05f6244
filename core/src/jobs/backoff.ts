import type { JobBackoff } from '../providers/jobs.js';

export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { initialMs: 1000, factor: 2, maxMs: 3_600_000 },
  deadlineMs: 86_400_000,
} as const;

/** The wait before attempt `attempt + 1`, after `attempt` attempts failed (1 = the first failed). */
export function backoffDelay(backoff: JobBackoff, attempt: number): number {
  const factor = backoff.factor ?? DEFAULT_JOB_OPTIONS.backoff.factor;
  const max = backoff.maxMs ?? DEFAULT_JOB_OPTIONS.backoff.maxMs;
  return Math.min(max, backoff.initialMs * factor ** Math.max(0, attempt - 1));
}
