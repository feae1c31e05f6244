import type { AlertMessage, AlertSummary } from '../providers/alert-channel.js';
import type { AlertRule, AlertTrigger } from '../providers/alert-rules.js';
import { jobType, type JobsProvider } from '../providers/jobs.js';
import type { Project, StorageProvider } from '../providers/storage.js';
import type { AlertDeliveryService } from './alert-delivery.js';
import { issueUrl } from './alert-message.js';
import { DEFAULT_SUMMARY_CRON } from '../alert-config/alert-options.js';
import { lastSummaryPeriod } from './summary-period.js';

export const ALERT_SUMMARIES = jobType<Record<string, never>>('alert:summaries');
const SCHEDULE = 'alerts:summaries';
/** A summary is sent within this long after its hour, or skipped (a node down all morning sends none late). */
const GRACE_MS = 3_600_000;
const TOP_ISSUES = 5;

type SummaryRule = AlertRule & { trigger: Extract<AlertTrigger, { type: 'summary' }> };

export interface AlertSummariesDeps {
  storage(): StorageProvider;
  delivery: AlertDeliveryService;
  issueUrl?: string;
  cron?: string;
}

/**
 * Daily and weekly summaries. One schedule (every 15 minutes by default) looks at every summary rule and
 * sends those whose hour, in the rule's time zone, has come. Exactly once across nodes twice over: the
 * `jobs` scheduler fires each slot on one node (claimed through storage), and a summary's delivery is keyed
 * by the end of its period, so a later slot, or another node, cannot send it again.
 */
export function createAlertSummaries(deps: AlertSummariesDeps) {
  async function summarize(rule: SummaryRule, project: Project, now: Date): Promise<void> {
    const period = lastSummaryPeriod(now, rule.trigger);
    if (now.getTime() - period.boundary.getTime() > GRACE_MS) return;
    const storage = deps.storage();
    const key = `summary:${period.boundary.toISOString()}`;
    const [current, previous] = await Promise.all([
      storage.projectActivity(rule.projectId, { from: period.from, to: period.boundary }, TOP_ISSUES),
      storage.projectActivity(rule.projectId, { from: period.previousFrom, to: period.from }, 0),
    ]);
    const top = await Promise.all(current.topIssues.map(async (t) => ({ t, issue: await storage.getIssue(t.issueId) })));
    const summary: AlertSummary = {
      period: rule.trigger.period,
      from: period.from.toISOString(),
      to: period.boundary.toISOString(),
      events: current.events,
      newIssues: current.newIssues,
      previous: { events: previous.events, newIssues: previous.newIssues },
      topIssues: top.flatMap(({ t, issue }) => (issue ? [{ id: issue.id, title: issue.title, level: issue.level, events: t.events, url: issueUrl(deps.issueUrl, issue) }] : [])),
    };
    const label = rule.trigger.period === 'daily' ? 'Daily' : 'Weekly';
    const message: AlertMessage = {
      id: `${rule.id}:${key}`,
      reason: 'summary',
      title: `${label} summary for ${project.name}: ${summary.events} events (${trend(summary.events, previous.events)}), ${summary.newIssues} new issues`,
      text: [
        `${summary.from} to ${summary.to}`,
        `Events: ${summary.events} (previous period ${previous.events}, ${trend(summary.events, previous.events)})`,
        `New issues: ${summary.newIssues} (previous period ${previous.newIssues})`,
        ...summary.topIssues.map((i, n) => `${n + 1}. ${i.title} (${i.events} events)`),
      ].join('\n'),
      level: 'info',
      project: { id: project.id, name: project.name, slug: project.slug },
      issue: null,
      url: null,
      createdAt: now.toISOString(),
      event: null,
      rule: { id: rule.id, name: rule.name },
      summary,
    };
    await deps.delivery.enqueueActions(rule, key, message, null);
  }

  async function run(): Promise<void> {
    const storage = deps.storage();
    const now = new Date();
    const rules = (await storage.listAlertRules({ enabled: true })).filter((r): r is SummaryRule => r.trigger.type === 'summary');
    for (const rule of rules) {
      const project = await storage.getProject(rule.projectId);
      if (project) await summarize(rule, project, now);
    }
  }

  return {
    define(jobs: JobsProvider): void {
      jobs.define(ALERT_SUMMARIES, run, { attempts: 3, deadlineMs: 10 * 60_000 });
    },
    schedule(jobs: JobsProvider): void {
      jobs.schedule(SCHEDULE, { cron: deps.cron ?? DEFAULT_SUMMARY_CRON, timezone: 'UTC' }, ALERT_SUMMARIES, {});
    },
    run,
  };
}

/** `+25%`, `-10%`, `no change`, or `new` when the period before had none. */
export function trend(now: number, before: number): string {
  if (before === 0) return now === 0 ? 'no change' : 'new';
  const change = Math.round(((now - before) / before) * 100);
  return change === 0 ? 'no change' : `${change > 0 ? '+' : ''}${change}% vs previous`;
}
