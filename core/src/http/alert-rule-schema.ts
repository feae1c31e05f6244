import { FaultlineError, isFaultlineError } from '../errors.js';
import { LEVELS } from '../event/types.js';
import { parseInput } from './parse-input.js';
import type { AlertAction, AlertRulePatch, AlertTrigger, NewAlertRule } from '../providers/alert-rules.js';
import type { AlertChannelRegistry } from '../alert-config/alert-channel-registry.js';

const minutes = { type: 'integer', minimum: 1, maximum: 10_080 };
const strings = { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 200 } };

const TRIGGERS: Record<AlertTrigger['type'], object> = {
  'issue.created': { type: 'object', additionalProperties: false, required: ['type'], properties: { type: { const: 'issue.created' } } },
  'issue.regressed': { type: 'object', additionalProperties: false, required: ['type'], properties: { type: { const: 'issue.regressed' } } },
  'issue.frequency': {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'count', 'minutes'],
    properties: { type: { const: 'issue.frequency' }, count: { type: 'integer', minimum: 1, maximum: 1_000_000 }, minutes },
  },
  'project.frequency': {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'count', 'minutes'],
    properties: { type: { const: 'project.frequency' }, count: { type: 'integer', minimum: 1, maximum: 1_000_000 }, minutes },
  },
  level: { type: 'object', additionalProperties: false, required: ['type', 'level'], properties: { type: { const: 'level' }, level: { enum: [...LEVELS] } } },
  summary: {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'period'],
    properties: {
      type: { const: 'summary' },
      period: { enum: ['daily', 'weekly'] },
      hour: { type: 'integer', minimum: 0, maximum: 23, default: 9 },
      timezone: { type: 'string', minLength: 1, maxLength: 100, default: 'UTC' },
      /** 0 Sunday ... 6 Saturday, for weekly summaries. */
      weekday: { type: 'integer', minimum: 0, maximum: 6, default: 1 },
    },
  },
};

const ruleFields = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  enabled: { type: 'boolean' },
  trigger: { type: 'object', required: ['type'], properties: { type: { enum: Object.keys(TRIGGERS) } } },
  filters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      environment: strings,
      release: strings,
      level: { enum: [...LEVELS] },
      tags: { type: 'object', maxProperties: 20, additionalProperties: strings },
    },
  },
  actions: {
    type: 'array',
    minItems: 1,
    maxItems: 10,
    items: { type: 'object', required: ['channel'], properties: { channel: { type: 'string', minLength: 1, maxLength: 50 } } },
  },
  throttleMinutes: { type: 'integer', minimum: 0, maximum: 10_080 },
  digestMinutes: { type: ['integer', 'null'], minimum: 1, maximum: 1440 },
};
export const newRule = { type: 'object', additionalProperties: false, required: ['name', 'trigger', 'actions'], properties: ruleFields };
export const rulePatch = { type: 'object', additionalProperties: false, minProperties: 1, properties: ruleFields };

/** Validates at `prefix` (`trigger`, `actions[0]`): a bad field's path is named from the rule's root. */
function parseAt<T>(schema: object, value: unknown, prefix: string): T {
  try {
    return parseInput<T>(schema, value, 'body');
  } catch (err) {
    throw rebased(err, prefix);
  }
}

function rebased(err: unknown, prefix: string): unknown {
  if (!isFaultlineError(err) || !err.path) return err;
  if (err.code === 'FAULTLINE_ERR_ALERT_CHANNEL_UNKNOWN') return new FaultlineError(err.code, err.message, { path: `${prefix}.channel` });
  const inner = err.path === 'body' || err.path === 'config' ? '' : err.path.replace(/^config\.?/, '');
  const path = inner === '' ? prefix : inner.startsWith('[') ? `${prefix}${inner}` : `${prefix}.${inner}`;
  const at = err.message.indexOf(`${err.path} `);
  const reason = at >= 0 ? err.message.slice(at + err.path.length + 1) : err.message.replace(/^body /, '');
  return new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `${path} ${reason}`, { path });
}

function parseTrigger(value: AlertTrigger): AlertTrigger {
  const trigger = parseAt<AlertTrigger>(TRIGGERS[value.type], value, 'trigger');
  if (trigger.type === 'summary') {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: trigger.timezone });
    } catch {
      throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `trigger.timezone "${trigger.timezone}" is not an IANA time zone`, { path: 'trigger.timezone' });
    }
  }
  return trigger;
}

function parseActions(actions: AlertAction[], channels: AlertChannelRegistry): AlertAction[] {
  return actions.map((action, i) => {
    const { channel, ...config } = action;
    try {
      return { channel, ...channels.validateConfig<Record<string, unknown>>(channel, config) };
    } catch (err) {
      throw rebased(err, `actions[${i}]`);
    }
  });
}

/** A new rule from a request body, or a 400 naming the field (`trigger.minutes`, `actions[0].to[1]`). */
export function parseNewAlertRule(body: unknown, projectId: number, channels: AlertChannelRegistry): NewAlertRule {
  const input = parseInput<Omit<NewAlertRule, 'projectId'>>(newRule, body, 'body');
  return {
    projectId,
    name: input.name,
    enabled: input.enabled ?? true,
    trigger: parseTrigger(input.trigger),
    filters: input.filters ?? {},
    actions: parseActions(input.actions, channels),
    throttleMinutes: input.throttleMinutes ?? 0,
    digestMinutes: input.digestMinutes ?? null,
  };
}

/** A change to a rule; actions whose secrets come back masked keep the stored values (see alert-secrets.ts). */
export function parseAlertRulePatch(body: unknown, channels: AlertChannelRegistry): AlertRulePatch {
  const input = parseInput<AlertRulePatch>(rulePatch, body, 'body');
  return {
    ...input,
    ...(input.trigger ? { trigger: parseTrigger(input.trigger) } : {}),
    ...(input.actions ? { actions: parseActions(input.actions, channels) } : {}),
  };
}
