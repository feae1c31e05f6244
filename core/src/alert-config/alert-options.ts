import type { JobBackoff } from '../providers/jobs.js';

/** `createFaultline({ alerts })`: how alert rules link, retry and refresh. */
export interface AlertOptions {
  /**
   * A link to an issue in the host's dashboard, `{id}` replaced by the issue id (and `{projectId}`):
   * `https://app.example.com/admin/errors#/issues/{id}`. Or FAULTLINE_ISSUE_URL. Default: no link.
   */
  issueUrl?: string;
  /** How a delivery is retried before it is recorded as failed. */
  delivery?: { attempts?: number; backoff?: JobBackoff; deadlineMs?: number };
  /** When summary rules are looked at (cron, 6 fields allowed). Default every 15 minutes. */
  summaryCron?: string;
  /** How long a node keeps the rule list before reading it again. Default 5 s. */
  rulesCacheMs?: number;
  /**
   * How long a rule's minute lasts (frequency, throttle and digest windows). Default 60 000; tests shorten
   * it rather than wait.
   */
  minuteMs?: number;
}

/**
 * Deliveries retry for an hour: an alert older than that has lost its point, and a receiver down longer
 * is better seen in the delivery log (status `failed`) than caught up on in a burst.
 */
export const DEFAULT_DELIVERY = {
  attempts: 12,
  backoff: { initialMs: 2_000, factor: 2, maxMs: 300_000 },
  deadlineMs: 3_600_000,
} as const;

export const DEFAULT_SUMMARY_CRON = '*/15 * * * *';
export const DEFAULT_RULES_CACHE_MS = 5_000;
export const MINUTE_MS = 60_000;
