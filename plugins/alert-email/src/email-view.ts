import { alertHeadline, LEVEL_COLORS, type AlertMessage } from '@faultline/core';

export interface EmailView {
  headline: string;
  title: string;
  levelColor: string;
  project: AlertMessage['project'];
  errorMessage: string | null;
  fields: { label: string; value: string; badge?: string }[];
  frames: { function: string; location: string }[];
  items: { title: string; note: string; url: string | null; color: string }[];
  url: string | null;
  ruleName: string | null;
  createdAt: string;
}

/** Only web links become links: a message never carries a `javascript:` or other scheme into an href. */
function webUrl(url: string | null | undefined): string | null {
  return url && /^https?:\/\//i.test(url) ? url : null;
}

function when(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/**
 * What the templates show, all plain text: handlebars escapes every `{{value}}` in the HTML template, and
 * the templates never use `{{{ }}}`, so event text cannot become markup.
 */
export function emailView(message: AlertMessage): EmailView {
  const { issue, event, summary } = message;
  const fields: EmailView['fields'] = [
    { label: 'Project', value: message.project.name },
    { label: 'Level', value: message.level, badge: LEVEL_COLORS[message.level] },
  ];
  const environment = event?.environment ?? issue?.environment;
  const release = event?.release ?? issue?.release;
  if (environment) fields.push({ label: 'Environment', value: environment });
  if (release) fields.push({ label: 'Release', value: release });
  if (issue) {
    fields.push({ label: 'Events', value: String(issue.count) });
    if (issue.userCount) fields.push({ label: 'Users', value: String(issue.userCount) });
    fields.push({ label: 'First seen', value: when(issue.firstSeen) }, { label: 'Last seen', value: when(issue.lastSeen) });
    if (issue.culprit) fields.push({ label: 'Culprit', value: issue.culprit });
  }
  let items: EmailView['items'] = [];
  if (summary) {
    fields.push(
      { label: 'Period', value: `${when(summary.from)} to ${when(summary.to)}` },
      { label: 'Events', value: `${summary.events} (previous period ${summary.previous.events})` },
      { label: 'New issues', value: `${summary.newIssues} (previous period ${summary.previous.newIssues})` },
    );
    items = summary.topIssues.map((i) => ({ title: i.title, note: `${i.events} events`, url: webUrl(i.url), color: LEVEL_COLORS[i.level] }));
  }
  if (message.digest) {
    items = message.digest.map((m) => ({ title: m.title, note: when(m.createdAt), url: webUrl(m.url), color: LEVEL_COLORS[m.level] }));
  }
  return {
    headline: alertHeadline(message.reason),
    title: message.title,
    levelColor: LEVEL_COLORS[message.level] ?? LEVEL_COLORS.error,
    project: message.project,
    errorMessage: event?.message ?? (issue ? issue.value : null) ?? (message.reason === 'test' ? message.text : null),
    fields,
    frames: (event?.frames ?? []).map((f) => ({
      function: f.function ?? '?',
      location: `${f.filename ?? '?'}${f.lineno !== null ? `:${f.lineno}` : ''}${f.colno !== null ? `:${f.colno}` : ''}`,
    })),
    items,
    url: webUrl(message.url),
    ruleName: message.rule?.name ?? null,
    createdAt: when(message.createdAt),
  };
}
