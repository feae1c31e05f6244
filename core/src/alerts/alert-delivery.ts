import type { Logger } from 'pino';
import { isFaultlineError } from '../errors.js';
import { backoffDelay } from '../jobs/backoff.js';
import type { AlertMessage } from '../providers/alert-channel.js';
import type { AlertRule } from '../providers/alert-rules.js';
import { jobType, type JobContext, type JobsProvider } from '../providers/jobs.js';
import type { StorageProvider } from '../providers/storage.js';
import type { Metrics } from '../metrics.js';
import type { AlertChannelRegistry } from '../alert-config/alert-channel-registry.js';
import { buildDigestMessage } from './alert-message.js';
import { DEFAULT_DELIVERY, MINUTE_MS, type AlertOptions } from '../alert-config/alert-options.js';

export const ALERT_DELIVERY = jobType<{ deliveryId: string }>('alert:deliver');
export const ALERT_DIGEST = jobType<{ ruleId: string; digestKey: string }>('alert:digest');

export interface AlertDeliveryDeps {
  storage(): StorageProvider;
  jobs(): JobsProvider;
  alertChannels: AlertChannelRegistry;
  log: Logger;
  metrics: Metrics;
  options: AlertOptions;
}

/**
 * Turns a triggered alert into deliveries: one delivery-log row and one `jobs` job per rule action. The
 * row's (rule, key) is unique, so the same alert raised twice (two nodes, a retried message) is delivered
 * once; a job runs only a row still `pending`, so a job run twice sends once. In digest mode the alert
 * waits as a `digest` row and one delayed job per window sends the window's alerts as one message.
 */
export function createAlertDelivery(deps: AlertDeliveryDeps) {
  const retry = { ...DEFAULT_DELIVERY, ...deps.options.delivery };

  async function enqueueActions(rule: AlertRule, key: string, message: AlertMessage, issueId: string | null): Promise<void> {
    for (const [i, action] of rule.actions.entries()) {
      const delivery = await deps.storage().createAlertDelivery({
        ruleId: rule.id,
        projectId: rule.projectId,
        key: `${key}:a${i}`,
        action: i,
        channel: action.channel,
        issueId,
        reason: message.reason,
        status: 'pending',
        digestKey: null,
        message,
      });
      if (delivery) await deps.jobs().enqueue(ALERT_DELIVERY, { deliveryId: delivery.id }, { id: `alert:${delivery.id}`, ...retry });
    }
  }

  /** Delivers (or collects, in digest mode) one triggered alert; `key` names it within the rule. */
  async function raise(rule: AlertRule, key: string, message: AlertMessage, issueId: string | null): Promise<void> {
    if (!rule.digestMinutes) return enqueueActions(rule, key, message, issueId);
    const windowMs = rule.digestMinutes * (deps.options.minuteMs ?? MINUTE_MS);
    const start = Math.floor(Date.now() / windowMs) * windowMs;
    const digestKey = `digest:${new Date(start).toISOString()}`;
    const item = await deps.storage().createAlertDelivery({
      ruleId: rule.id,
      projectId: rule.projectId,
      key,
      action: -1,
      channel: '*',
      issueId,
      reason: message.reason,
      status: 'digest',
      digestKey,
      message,
    });
    if (!item) return;
    const delayMs = start + windowMs - Date.now();
    // The deadline counts from enqueueing: it starts when the window ends, not now.
    await deps.jobs().enqueue(ALERT_DIGEST, { ruleId: rule.id, digestKey }, { ...retry, id: `digest:${rule.id}:${digestKey}`, delayMs, deadlineMs: delayMs + retry.deadlineMs });
  }

  async function sendDigest({ ruleId, digestKey }: { ruleId: string; digestKey: string }): Promise<void> {
    const rule = await deps.storage().getAlertRule(ruleId);
    if (!rule) return;
    const items = await deps.storage().takeDigest(ruleId, digestKey);
    if (items.length === 0) return;
    const project = await deps.storage().getProject(rule.projectId);
    if (!project) return;
    // Keyed by its first item: a second take of the same window (another node's job) is another message.
    const key = `${digestKey}:${items[0].id}`;
    const message = buildDigestMessage(`${rule.id}:${key}`, rule, project, items.map((i) => i.message as AlertMessage));
    await enqueueActions(rule, key, message, null);
  }

  async function deliver({ deliveryId }: { deliveryId: string }, ctx: JobContext): Promise<void> {
    const storage = deps.storage();
    const delivery = await storage.getAlertDelivery(deliveryId);
    if (!delivery || delivery.status !== 'pending') return;
    const rule = await storage.getAlertRule(delivery.ruleId);
    const action = rule?.actions[delivery.action];
    if (!rule || !action || action.channel !== delivery.channel) {
      await storage.updateAlertDelivery(deliveryId, { status: 'failed', attempts: ctx.attempt, error: 'The rule or its action was removed' });
      return;
    }
    const { channel, ...config } = action;
    const onAbort = () => {
      if (Date.now() >= ctx.deadline.getTime()) void storage.updateAlertDelivery(deliveryId, { status: 'failed', attempts: ctx.attempt, error: 'Deadline passed while sending' }).catch(() => undefined);
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await deps.alertChannels.send(channel, delivery.message as AlertMessage, config);
      await storage.updateAlertDelivery(deliveryId, { status: 'sent', attempts: ctx.attempt, error: null, receiverId: result.receiverId ?? null });
      deps.metrics.alertDeliveries.inc({ channel, outcome: 'sent' });
    } catch (err) {
      // A 4xx FaultlineError (a config the channel refuses) will not get better by retrying.
      const permanent = isFaultlineError(err) && err.status >= 400 && err.status < 500;
      const last = permanent || ctx.attempt >= ctx.maxAttempts || Date.now() + backoffDelay(retry.backoff, ctx.attempt) >= ctx.deadline.getTime();
      const error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      await storage.updateAlertDelivery(deliveryId, { status: last ? 'failed' : 'pending', attempts: ctx.attempt, error });
      deps.metrics.alertDeliveries.inc({ channel, outcome: last ? 'failed' : 'retry' });
      // The error's message only: an error object may carry the channel's config (a webhook URL is a secret).
      deps.log.warn({ rule: rule.id, delivery: deliveryId, channel, attempt: ctx.attempt, final: last, error }, 'alert delivery failed');
      if (!permanent) throw err;
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
  }

  function define(jobs: JobsProvider): void {
    jobs.define(ALERT_DELIVERY, deliver);
    jobs.define(ALERT_DIGEST, sendDigest);
  }

  return { raise, define, enqueueActions };
}

export type AlertDeliveryService = ReturnType<typeof createAlertDelivery>;
