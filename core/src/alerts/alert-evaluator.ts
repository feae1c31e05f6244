import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import type { CanonicalEvent } from '../event/types.js';
import type { AlertRule, AlertTrigger } from '../providers/alert-rules.js';
import { groupByProject, type StoredEventSummary } from '../providers/pubsub.js';
import type { Issue, Project, StorageProvider } from '../providers/storage.js';
import type { AlertDeliveryService } from './alert-delivery.js';
import { atOrAbove, hasTagFilters, passesFields, passesTags } from './alert-filters.js';
import { buildAlertMessage, type AlertInput } from './alert-message.js';
import type { AlertRuleCache } from './alert-rule-cache.js';

/** Events per batch and rule whose payload a tag filter may read; beyond it the rest wait for the next batch. */
const MAX_TAG_READS = 50;

export interface AlertEvaluatorDeps {
  storage(): StorageProvider;
  rules: AlertRuleCache;
  delivery: AlertDeliveryService;
  log: Logger;
  metrics: Metrics;
  issueUrl?: string;
  /** A rule's minute in milliseconds. */
  minuteMs: number;
}

type OfType<T extends AlertTrigger['type']> = AlertRule & { trigger: Extract<AlertTrigger, { type: T }> };

/**
 * Rule evaluation, from the `pubsub` stream (never on the ingest path).
 *
 * Several nodes: every node that processes events subscribes, and a cross-process pubsub hands each
 * message to all of them, so each node evaluates every message. Nothing is counted in a node's memory:
 * frequency triggers count the stored events (`storage.countEvents`, bounded by the threshold), the
 * "crossed" state is a latch in storage that flips for one caller only, throttles are windows in storage
 * claimed by one caller only, and each alert's delivery row is unique per (rule, key). So N nodes send
 * one alert, not N, and no count is doubled; the price is that each node runs the (small) queries.
 */
export function createAlertEvaluator(deps: AlertEvaluatorDeps) {
  const projects = new Map<number, { project: Project; at: number }>();
  /**
   * Frequency keys this node last saw above their threshold, until when it skips counting them again: in
   * a storm every batch would count, though nothing can fire until the count falls back below. Re-arming
   * is seen at most ABOVE_RECHECK_MS late.
   */
  const above = new Map<string, number>();
  const ABOVE_RECHECK_MS = Math.min(1000, deps.minuteMs);
  const skipWhileAbove = (key: string) => (above.get(key) ?? 0) > Date.now();
  function noteAbove(key: string, isAbove: boolean): void {
    if (!isAbove) return void above.delete(key);
    if (above.size >= 10_000) for (const [k, until] of above) if (until <= Date.now()) above.delete(k); // issues gone quiet
    above.set(key, Date.now() + ABOVE_RECHECK_MS);
  }

  async function projectOf(id: number): Promise<Project | null> {
    const hit = projects.get(id);
    if (hit && Date.now() - hit.at < 60_000) return hit.project;
    const project = await deps.storage().getProject(id);
    if (project) projects.set(id, { project, at: Date.now() });
    return project;
  }

  /** False while the rule's throttle window for the issue runs; otherwise opens one (for one caller). */
  async function passesThrottle(rule: AlertRule, issueId: string | null): Promise<boolean> {
    if (rule.throttleMinutes <= 0) return true;
    const now = new Date();
    return deps.storage().claimAlertWindow(rule.id, `throttle:${issueId ?? 'project'}`, now, new Date(now.getTime() + rule.throttleMinutes * deps.minuteMs));
  }

  async function fire(rule: AlertRule, key: string, input: Omit<AlertInput, 'id' | 'rule' | 'project' | 'urlTemplate'>): Promise<void> {
    const project = await projectOf(rule.projectId);
    if (!project) return;
    const message = buildAlertMessage({ ...input, id: `${rule.id}:${key}`, rule, project, urlTemplate: deps.issueUrl });
    deps.metrics.alertsTriggered.inc({ trigger: rule.trigger.type });
    await deps.delivery.raise(rule, key, message, input.issue?.id ?? null);
  }

  async function onIssue(reason: 'issue:created' | 'issue:regressed', { issue, event }: { issue: Issue; event: CanonicalEvent }): Promise<void> {
    const type = reason === 'issue:created' ? 'issue.created' : 'issue.regressed';
    for (const rule of await deps.rules.forProject(issue.projectId)) {
      if (rule.trigger.type !== type) continue;
      const fields = { level: event.level ?? issue.level, environment: event.environment ?? null, release: event.release ?? null };
      if (!passesFields(rule.filters, fields) || !passesTags(rule.filters, event.tags)) continue;
      try {
        if (!(await passesThrottle(rule, issue.id))) continue;
        const key = reason === 'issue:created' ? `created:${issue.id}` : `regressed:${issue.id}:${event.event_id}`;
        await fire(rule, key, { reason, issue, event });
      } catch (err) {
        deps.log.error({ err, rule: rule.id }, 'alert rule evaluation failed');
      }
    }
  }

  /** The batch's events this rule may trigger on: its field filters, then its tag filters (reading payloads). */
  async function candidates(rule: AlertRule, events: StoredEventSummary[]): Promise<{ summary: StoredEventSummary; event: CanonicalEvent | null }[]> {
    const matching = events.filter((e) => passesFields(rule.filters, e));
    if (!hasTagFilters(rule.filters)) return matching.map((summary) => ({ summary, event: null }));
    const out: { summary: StoredEventSummary; event: CanonicalEvent | null }[] = [];
    for (const summary of matching.slice(0, MAX_TAG_READS)) {
      const stored = await deps.storage().getEvent(summary.eventId, [summary.projectId]);
      if (stored && passesTags(rule.filters, stored.event.tags)) out.push({ summary, event: stored.event });
    }
    return out;
  }

  async function eventOf(summary: StoredEventSummary, known: CanonicalEvent | null): Promise<CanonicalEvent | null> {
    return known ?? (await deps.storage().getEvent(summary.eventId, [summary.projectId]))?.event ?? null;
  }

  async function onLevel(rule: OfType<'level'>, events: { summary: StoredEventSummary; event: CanonicalEvent | null }[]): Promise<void> {
    for (const { summary, event } of events) {
      if (!atOrAbove(summary.level, rule.trigger.level)) continue;
      if (!(await passesThrottle(rule, summary.issueId))) continue;
      const issue = await deps.storage().getIssue(summary.issueId);
      await fire(rule, `level:${summary.eventId}`, { reason: 'level', issue, event: await eventOf(summary, event) });
    }
  }

  async function onIssueFrequency(rule: OfType<'issue.frequency'>, events: { summary: StoredEventSummary; event: CanonicalEvent | null }[]): Promise<void> {
    const { count, minutes } = rule.trigger;
    const latest = new Map(events.map((e) => [e.summary.issueId, e]));
    for (const [issueId, { summary, event }] of latest) {
      const memo = `${rule.id}:${issueId}`;
      if (skipWhileAbove(memo)) continue;
      const seen = await deps.storage().countEvents(summary.projectId, { since: new Date(Date.now() - minutes * deps.minuteMs), issueId, limit: count + 1 });
      const isAbove = seen > count;
      noteAbove(memo, isAbove);
      // The latch flips for one caller per crossing: below again (seen by any node) re-arms it.
      if (!(await deps.storage().setAlertLatch(rule.id, `issue:${issueId}`, isAbove)) || !isAbove) continue;
      if (!(await passesThrottle(rule, issueId))) continue;
      const issue = await deps.storage().getIssue(issueId);
      await fire(rule, `frequency:${issueId}:${new Date().toISOString()}`, { reason: 'issue:frequency', issue, event: await eventOf(summary, event), threshold: { count, minutes } });
    }
  }

  async function onProjectFrequency(rule: OfType<'project.frequency'>, events: { summary: StoredEventSummary; event: CanonicalEvent | null }[]): Promise<void> {
    if (events.length === 0 || skipWhileAbove(rule.id)) return;
    const { count, minutes } = rule.trigger;
    const seen = await deps.storage().countEvents(rule.projectId, { since: new Date(Date.now() - minutes * deps.minuteMs), limit: count + 1 });
    const isAbove = seen > count;
    noteAbove(rule.id, isAbove);
    if (!(await deps.storage().setAlertLatch(rule.id, 'project', isAbove)) || !isAbove) return;
    await fire(rule, `spike:${new Date().toISOString()}`, { reason: 'project:frequency', issue: null, event: null, threshold: { count, minutes } });
  }

  async function onEvents({ events }: { events: StoredEventSummary[] }): Promise<void> {
    for (const [projectId, own] of groupByProject(events)) {
      for (const rule of await deps.rules.forProject(projectId)) {
        const type = rule.trigger.type;
        if (type !== 'level' && type !== 'issue.frequency' && type !== 'project.frequency') continue;
        try {
          const matching = await candidates(rule, own);
          if (type === 'level') await onLevel(rule as OfType<'level'>, matching);
          else if (type === 'issue.frequency') await onIssueFrequency(rule as OfType<'issue.frequency'>, matching);
          else await onProjectFrequency(rule as OfType<'project.frequency'>, matching);
        } catch (err) {
          deps.log.error({ err, rule: rule.id }, 'alert rule evaluation failed');
        }
      }
    }
  }

  return { onIssue, onEvents };
}
