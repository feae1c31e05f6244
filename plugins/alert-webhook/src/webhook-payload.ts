import type { AlertMessage } from '@faultline/core';

export const PAYLOAD_VERSION = 1;

/**
 * The JSON a webhook receives (documented in the README): the alert message as core builds it, under a
 * version, so receivers can tell shapes apart if it ever changes.
 */
export function webhookPayload(message: AlertMessage): Record<string, unknown> {
  return {
    version: PAYLOAD_VERSION,
    id: message.id,
    reason: message.reason,
    title: message.title,
    text: message.text,
    level: message.level,
    project: message.project,
    issue: message.issue,
    event: message.event ?? null,
    rule: message.rule ?? null,
    url: message.url,
    createdAt: message.createdAt,
    ...(message.digest ? { digest: message.digest.map(webhookPayload) } : {}),
    ...(message.summary ? { summary: message.summary } : {}),
  };
}
