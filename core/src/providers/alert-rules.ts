import type { Level } from '../event/types.js';

/**
 * Alert rules and their delivery log, as storage keeps them. Plain JSON: the rule's trigger, filters and
 * actions are stored as they were validated (core/src/http/alert-rule-schema.ts is their schema).
 */

export type AlertTrigger =
  | { type: 'issue.created' }
  | { type: 'issue.regressed' }
  /** More than `count` events of one issue within `minutes`. */
  | { type: 'issue.frequency'; count: number; minutes: number }
  /** More than `count` events of the project within `minutes`: fires once per crossing. */
  | { type: 'project.frequency'; count: number; minutes: number }
  /** Any event at or above `level`. */
  | { type: 'level'; level: Level }
  /** A summary of the project's issues, daily or weekly, at `hour` (0-23) in `timezone`. */
  | { type: 'summary'; period: 'daily' | 'weekly'; hour: number; timezone: string; weekday?: number };

export type AlertTriggerType = AlertTrigger['type'];

export interface AlertFilters {
  environment?: string[];
  release?: string[];
  /** Only events at or above this level. */
  level?: Level;
  /** Every named tag must have one of the listed values. */
  tags?: Record<string, string[]>;
}

/** Where a rule sends: a channel type and its config (validated against the channel's schema). */
export interface AlertAction {
  channel: string;
  [config: string]: unknown;
}

export interface AlertRule {
  id: string;
  projectId: number;
  name: string;
  enabled: boolean;
  trigger: AlertTrigger;
  filters: AlertFilters;
  actions: AlertAction[];
  /** At most one alert per rule and issue within this many minutes; 0 means every time. */
  throttleMinutes: number;
  /** When set, alerts are collected for this many minutes and sent as one message. */
  digestMinutes: number | null;
  createdAt: string;
  updatedAt: string;
}

export type NewAlertRule = Omit<AlertRule, 'id' | 'createdAt' | 'updatedAt'>;
export type AlertRulePatch = Partial<Omit<NewAlertRule, 'projectId'>>;

export const ALERT_DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'digest', 'digested'] as const;
/**
 * pending: a delivery job carries it; sent / failed: final; digest: waiting in a digest window;
 * digested: sent as part of a digest delivery.
 */
export type AlertDeliveryStatus = (typeof ALERT_DELIVERY_STATUSES)[number];

export interface AlertDelivery {
  id: string;
  ruleId: string;
  projectId: number;
  /** Unique per rule: the same key never makes a second delivery (idempotency across nodes and retries). */
  key: string;
  /** The index of the rule's action it goes to. */
  action: number;
  channel: string;
  issueId: string | null;
  reason: string;
  status: AlertDeliveryStatus;
  attempts: number;
  error: string | null;
  /** The receiver's id for the message (SMTP message id, ...). */
  receiverId: string | null;
  /** The digest window it waits in (status `digest`), or null. */
  digestKey: string | null;
  /** The AlertMessage as JSON (no channel config, so no secrets). */
  message: unknown;
  createdAt: string;
  updatedAt: string;
}

export type NewAlertDelivery = Pick<AlertDelivery, 'ruleId' | 'projectId' | 'key' | 'action' | 'channel' | 'issueId' | 'reason' | 'status' | 'digestKey' | 'message'>;
export type AlertDeliveryPatch = Partial<Pick<AlertDelivery, 'status' | 'attempts' | 'error' | 'receiverId'>>;

export interface AlertDeliveryQuery {
  status?: AlertDeliveryStatus;
  digestKey?: string;
  /** Newest first. Default 50. */
  limit?: number;
  /** Deliveries with an id below this one (the next page). */
  before?: string;
}

/** Counts for summaries: a project's events and new issues in a range, and the busiest issues. */
export interface ProjectActivity {
  events: number;
  newIssues: number;
  /** Issues by their events in the range, most first. */
  topIssues: { issueId: string; events: number }[];
}
