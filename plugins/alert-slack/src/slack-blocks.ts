import { LEVEL_COLORS, type AlertMessage } from '@faultline/core';

/** Slack's mrkdwn control characters; event text must never become a link, a mention or formatting. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Only web links become buttons. */
const webUrl = (url: string | null | undefined) => (url && /^https?:\/\//i.test(url) ? url : null);

/**
 * The Slack payload of an alert: a plain-text fallback (`text`, for notifications) and one attachment in
 * the level's colour holding Block Kit blocks: the title, key fields, the top frame, and a link button.
 */
export function slackPayload(message: AlertMessage): Record<string, unknown> {
  const { issue, event, summary } = message;
  const fields: string[] = [`*Project*\n${escapeMrkdwn(message.project.name)}`, `*Level*\n${message.level}`];
  const environment = event?.environment ?? issue?.environment;
  const release = event?.release ?? issue?.release;
  if (environment) fields.push(`*Environment*\n${escapeMrkdwn(environment)}`);
  if (release) fields.push(`*Release*\n${escapeMrkdwn(release)}`);
  if (issue) fields.push(`*Events*\n${issue.count}`, `*Last seen*\n${issue.lastSeen}`);
  if (summary) fields.push(`*Events*\n${summary.events} (before: ${summary.previous.events})`, `*New issues*\n${summary.newIssues} (before: ${summary.previous.newIssues})`);

  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(message.title, 150), emoji: false } },
    { type: 'section', fields: fields.slice(0, 10).map((text) => ({ type: 'mrkdwn', text: clip(text, 2000) })) },
  ];
  const errorText = event?.message ?? issue?.value;
  if (errorText) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`\`\`\`${escapeMrkdwn(errorText)}\`\`\``, 3000) } });
  const frame = event?.frames[0];
  if (frame) {
    const where = `${frame.function ?? '?'} (${frame.filename ?? '?'}${frame.lineno !== null ? `:${frame.lineno}` : ''}${frame.colno !== null ? `:${frame.colno}` : ''})`;
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(`at \`${escapeMrkdwn(where)}\``, 3000) }] });
  }
  const list = message.digest?.map((m) => m.title) ?? summary?.topIssues.map((i) => `${i.title} (${i.events} events)`);
  if (list?.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(list.slice(0, 20).map((t) => `• ${escapeMrkdwn(t)}`).join('\n'), 3000) } });
  const url = webUrl(message.url);
  if (url) blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'View issue' }, url, action_id: 'faultline-view-issue' }] });
  return {
    text: escapeMrkdwn(message.title),
    attachments: [{ color: LEVEL_COLORS[message.level] ?? LEVEL_COLORS.error, fallback: escapeMrkdwn(message.title), blocks }],
  };
}
