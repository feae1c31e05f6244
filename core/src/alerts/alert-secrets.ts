import type { AlertAction, AlertRule } from '../providers/alert-rules.js';
import type { AlertChannelRegistry } from '../alert-config/alert-channel-registry.js';

/** Names that hold a secret whatever the channel declares (a channel not loaded here still masks them). */
const SECRET_NAME = /url|secret|token|password|apikey/i;

/**
 * A rule's action configs carry secrets (a Slack webhook URL is a credential; a webhook's signing secret).
 * The API shows them masked (`****` and the last 4 characters); a PATCH that sends a masked value back
 * keeps the stored one. A channel marks its secret config fields with JSON schema's `writeOnly: true`.
 */
function secretFields(action: AlertAction, channels: AlertChannelRegistry): Set<string> {
  const fields = new Set(Object.keys(action).filter((k) => k !== 'channel' && SECRET_NAME.test(k)));
  if (channels.types().includes(action.channel)) {
    const properties = (channels.get(action.channel).configSchema.properties ?? {}) as Record<string, { writeOnly?: boolean }>;
    for (const [name, schema] of Object.entries(properties)) if (schema?.writeOnly) fields.add(name);
  }
  return fields;
}

export function maskSecret(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return text.length <= 12 ? '****' : `****${text.slice(-4)}`;
}

export function maskRule(rule: AlertRule, channels: AlertChannelRegistry): AlertRule {
  return {
    ...rule,
    actions: rule.actions.map((action) => {
      const masked: AlertAction = { ...action };
      for (const field of secretFields(action, channels)) if (masked[field] !== undefined) masked[field] = maskSecret(masked[field]);
      return masked;
    }),
  };
}

/** Puts stored secrets back where a PATCH sent an action's masked value unchanged. */
export function unmaskActions(actions: unknown, stored: AlertAction[], channels: AlertChannelRegistry): unknown {
  if (!Array.isArray(actions)) return actions;
  return actions.map((action: unknown, i) => {
    const before = stored[i];
    if (!before || !action || typeof action !== 'object' || (action as AlertAction).channel !== before.channel) return action;
    const restored: Record<string, unknown> = { ...(action as AlertAction) };
    for (const field of secretFields(before, channels)) {
      if (before[field] !== undefined && restored[field] === maskSecret(before[field])) restored[field] = before[field];
    }
    return restored;
  });
}
