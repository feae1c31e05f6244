import type { CanonicalEvent, StackFrame } from '../event/types.js';
import type { AlertEventBrief, AlertMessage, AlertReason } from '../providers/alert-channel.js';
import type { AlertRule } from '../providers/alert-rules.js';
import type { Issue, Project } from '../providers/storage.js';

const MAX_FRAMES = 5;

/** `https://app.example.com/admin/errors#/issues/{id}` with the issue's id (and `{projectId}`), or null. */
export function issueUrl(template: string | undefined, issue: Pick<Issue, 'id' | 'projectId'> | null): string | null {
  if (!template || !issue) return null;
  return template.replaceAll('{id}', encodeURIComponent(issue.id)).replaceAll('{projectId}', String(issue.projectId));
}

/** The top in-app frames, the throwing one first; every frame when none says whether it is in-app. */
function topFrames(event: CanonicalEvent): AlertEventBrief['frames'] {
  const values = event.exception?.values ?? [];
  const frames: StackFrame[] = values[values.length - 1]?.stacktrace?.frames ?? [];
  const inApp = frames.some((f) => f.in_app === true) ? frames.filter((f) => f.in_app === true) : frames.filter((f) => f.in_app !== false);
  return inApp
    .slice(-MAX_FRAMES)
    .reverse()
    .map((f) => ({
      filename: f.filename ?? f.abs_path ?? f.module ?? null,
      function: f.function ?? null,
      lineno: typeof f.lineno === 'number' ? f.lineno : null,
      colno: typeof f.colno === 'number' ? f.colno : null,
    }));
}

export function eventBrief(event: CanonicalEvent): AlertEventBrief {
  const values = event.exception?.values ?? [];
  const last = values[values.length - 1];
  const logMessage = typeof event.message === 'string' ? event.message : null;
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.tags ?? {})) if (typeof v === 'string') tags[k] = v;
  return {
    eventId: event.event_id,
    environment: event.environment ?? null,
    release: event.release ?? null,
    message: last?.value ?? logMessage ?? null,
    frames: topFrames(event),
    tags,
  };
}

const HEADLINES: Record<AlertReason, string> = {
  'issue:created': 'New issue',
  'issue:regressed': 'Regression',
  'issue:frequency': 'Frequent issue',
  'project:frequency': 'Error spike',
  level: 'Error',
  digest: 'Digest',
  summary: 'Summary',
  test: 'Test alert',
};

/** A word or two for what raised the alert ('New issue', 'Error spike'), as every channel shows it. */
export function alertHeadline(reason: AlertReason): string {
  return HEADLINES[reason] ?? 'Alert';
}

export interface AlertInput {
  id: string;
  reason: Exclude<AlertReason, 'digest' | 'summary' | 'test'>;
  rule: AlertRule;
  project: Project;
  issue: Issue | null;
  event: CanonicalEvent | null;
  /** For frequency triggers: what was crossed. */
  threshold?: { count: number; minutes: number };
  urlTemplate?: string;
}

/** The message of one triggered alert: plain text only; channels escape it for their format. */
export function buildAlertMessage(input: AlertInput): AlertMessage {
  const { issue, project, threshold } = input;
  const headline = alertHeadline(input.reason);
  const subject = input.reason === 'project:frequency'
    ? `more than ${threshold!.count} events in ${threshold!.minutes} min`
    : (issue?.title ?? 'event');
  const brief = input.event ? eventBrief(input.event) : null;
  const lines = [
    issue ? `${issue.title}` : `Project ${project.name}: ${subject}`,
    ...(threshold && input.reason === 'issue:frequency' ? [`More than ${threshold.count} events in ${threshold.minutes} minutes`] : []),
    ...(issue ? [`Level: ${issue.level} · Events: ${issue.count} · First seen: ${issue.firstSeen} · Last seen: ${issue.lastSeen}`] : []),
    ...(brief?.frames.length ? brief.frames.map((f) => `at ${f.function ?? '?'} (${f.filename ?? '?'}:${f.lineno ?? '?'}:${f.colno ?? '?'})`) : []),
  ];
  return {
    id: input.id,
    reason: input.reason,
    title: `${headline} in ${project.name}: ${subject}`,
    text: lines.join('\n'),
    level: issue?.level ?? input.event?.level ?? 'error',
    project: { id: project.id, name: project.name, slug: project.slug },
    issue,
    url: issueUrl(input.urlTemplate, issue),
    createdAt: new Date().toISOString(),
    event: brief,
    rule: { id: input.rule.id, name: input.rule.name },
  };
}

/** One message for a digest window's alerts. */
export function buildDigestMessage(id: string, rule: AlertRule, project: Project, items: AlertMessage[]): AlertMessage {
  const levels = ['fatal', 'error', 'warning', 'info', 'debug'] as const;
  const level = levels.find((l) => items.some((m) => m.level === l)) ?? 'error';
  return {
    id,
    reason: 'digest',
    title: `${items.length} alert${items.length === 1 ? '' : 's'} in ${project.name} (${rule.name})`,
    text: items.map((m) => `• ${m.title}`).join('\n'),
    level,
    project: { id: project.id, name: project.name, slug: project.slug },
    issue: null,
    url: null,
    createdAt: new Date().toISOString(),
    event: null,
    rule: { id: rule.id, name: rule.name },
    digest: items,
  };
}
