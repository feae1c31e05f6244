import type { Level } from '../event/types.js';
import type { Issue } from './storage.js';

export const ALERT_REASONS = ['issue:created', 'issue:regressed', 'issue:frequency', 'project:frequency', 'level', 'digest', 'summary', 'test'] as const;
export type AlertReason = (typeof ALERT_REASONS)[number];

/**
 * What an alert says, whatever carries it. Plain JSON (a delivery job carries it to another process).
 * Every text field is text: a channel that renders HTML escapes it (event text is never rendered as HTML).
 */
export interface AlertMessage {
  /**
   * Stable per message: the same delivery retried has the same id, so a channel whose receiver can
   * de-duplicate (an idempotency key, a Message-ID) passes it on.
   */
  id: string;
  reason: AlertReason;
  /** One line: 'New issue in checkout: TypeError: x is undefined'. */
  title: string;
  /** A few lines for the body. */
  text: string;
  level: Level;
  project: { id: number; name: string; slug: string };
  /** Null for a test message. */
  issue: Issue | null;
  /** A link to the issue in the host app, when the rule knows one. */
  url: string | null;
  /** ISO time the alert was raised. */
  createdAt: string;
  /** The event behind the alert, in brief (absent for tests, digests and summaries). */
  event?: AlertEventBrief | null;
  /** The rule that raised it. */
  rule?: { id: string; name: string } | null;
  /** A digest's alerts, oldest first (reason `digest`). */
  digest?: AlertMessage[];
  /** A scheduled summary's numbers (reason `summary`). */
  summary?: AlertSummary;
}

/** What a message shows of an event: plain text fields, never rendered as HTML. */
export interface AlertEventBrief {
  eventId: string;
  environment: string | null;
  release: string | null;
  /** The error's message (exception value or log message). */
  message: string | null;
  /** The top in-app frames, the throwing frame first (at most 5). */
  frames: { filename: string | null; function: string | null; lineno: number | null; colno: number | null }[];
  tags: Record<string, string>;
}

export interface AlertSummary {
  period: 'daily' | 'weekly';
  /** ISO times: [from, to). */
  from: string;
  to: string;
  events: number;
  newIssues: number;
  /** The same numbers for the period before, for the trend. */
  previous: { events: number; newIssues: number };
  topIssues: { id: string; title: string; level: Level; events: number; url: string | null }[];
}

/** A JSON schema of an object (checked with ajv), as a channel declares its config. */
export type AlertChannelConfigSchema = Record<string, unknown> & { type: 'object' };

export interface AlertSendResult {
  /** The receiver's id for the message, if it gives one (an SMTP message id, a Slack ts). */
  receiverId?: string;
}

/**
 * One kind of alert channel (`email`, `slack`, `webhook`, ...), registered by a plugin with
 * `ctx.alertChannel(channel)`. Many per Faultline, one per `type`. A channel holds no per-rule state:
 * each call gets the config of the rule's channel, already validated against `configSchema`.
 *
 * `send` delivers the message exactly once per call or rejects (a rejection is retried by the delivery
 * job with backoff; a FaultlineError with a 4xx status is not retried). Every outside call has a timeout.
 */
export interface AlertChannel<Config = Record<string, unknown>> {
  /** `[a-z][a-z0-9-]*`, unique per Faultline. */
  readonly type: string;
  /** Shown in UIs and the CLI: 'Email (SMTP)'. */
  readonly label: string;
  readonly configSchema: AlertChannelConfigSchema;
  send(message: AlertMessage, config: Config): Promise<AlertSendResult>;
  /** Sends a test message (reason `test`) to check the config works; rejects with why it does not. */
  test(config: Config): Promise<AlertSendResult>;
}

/** The message a channel's `test(config)` sends: the same shape as a real alert, about no issue. */
export function testAlertMessage(text: string): AlertMessage {
  return {
    id: `test-${Date.now()}`,
    reason: 'test',
    title: 'Faultline test alert',
    text,
    level: 'info',
    project: { id: 0, name: 'Faultline', slug: 'faultline' },
    issue: null,
    url: null,
    createdAt: new Date().toISOString(),
  };
}
