import { LEVELS } from '../event/types.js';
import { ISSUE_STATUSES, MAX_ISSUE_OFFSET, ROLES } from '../providers/storage.js';
import { ALERT_DELIVERY_STATUSES } from '../providers/alert-rules.js';
import { ERROR_BODY } from './api-operation.js';

/**
 * The JSON schemas of the answers clients rely on (ARCHITECTURE.md, "Shapes that clients rely on"), in one
 * place. The document names each under `components.schemas`; routes refer to these objects, and
 * build-openapi.ts turns every use into a `$ref`.
 */
const time = { type: 'string', format: 'date-time' };
const id32 = { type: 'integer', minimum: 1 };
const nullableString = { type: ['string', 'null'] };

export const ISSUE = {
  type: 'object',
  required: ['id', 'projectId', 'title', 'culprit', 'type', 'value', 'level', 'status', 'count', 'userCount', 'firstSeen', 'lastSeen', 'release'],
  properties: {
    id: { type: 'string', pattern: '^[1-9][0-9]*$' },
    projectId: id32,
    title: { type: 'string' },
    culprit: { type: 'string' },
    type: { type: 'string' },
    value: { type: 'string' },
    level: { type: 'string', enum: [...LEVELS] },
    status: { type: 'string', enum: [...ISSUE_STATUSES] },
    count: { type: 'integer', minimum: 0 },
    userCount: { type: 'integer', minimum: 0 },
    firstSeen: time,
    lastSeen: time,
    release: { ...nullableString, description: 'The release last seen' },
    environment: nullableString,
    platform: { type: 'string' },
    fingerprint: { type: 'string' },
    groupingVersion: { type: 'string' },
  },
};

export const EVENT = {
  type: 'object',
  required: ['id', 'issueId', 'projectId', 'receivedAt', 'event'],
  properties: {
    id: { type: 'string', pattern: '^[0-9a-f]{32}$' },
    issueId: { type: 'string' },
    projectId: id32,
    receivedAt: time,
    event: { type: 'object', description: 'The canonical event, as normalized at ingest' },
  },
};

export const STATS = {
  type: 'object',
  required: ['series'],
  properties: {
    series: {
      type: 'array',
      items: { type: 'object', required: ['t', 'count'], properties: { t: time, count: { type: 'integer', minimum: 0 } } },
    },
  },
};

export const NATIVE_INGEST_RESULT = {
  type: 'object',
  required: ['accepted', 'ids', 'rejected'],
  properties: {
    accepted: { type: 'integer', minimum: 0 },
    ids: { type: 'array', items: { type: 'string' }, description: 'The accepted events’ ids, in order' },
    rejected: {
      type: 'array',
      items: {
        type: 'object',
        required: ['index', 'error'],
        properties: { index: { type: 'integer', minimum: 0 }, error: ERROR_BODY.properties.error },
      },
    },
  },
};

export const SENTRY_RESULT = {
  type: 'object',
  required: ['id'],
  properties: { id: { ...nullableString, description: 'The event id, or null when the envelope held no event' } },
};

export const PROJECT = {
  type: 'object',
  required: ['id', 'slug', 'name', 'createdAt'],
  properties: { id: id32, slug: { type: 'string' }, name: { type: 'string' }, createdAt: time },
};

const keyProperties = {
  id: id32,
  projectId: id32,
  prefix: { type: 'string', description: 'The first characters of the key; the key itself is stored hashed' },
  label: { type: 'string' },
  allowedOrigins: { type: 'array', items: { type: 'string' } },
  rateLimitPerMinute: { type: ['integer', 'null'], minimum: 0 },
  createdAt: time,
};
const keyRequired = ['id', 'projectId', 'prefix', 'label', 'allowedOrigins', 'rateLimitPerMinute', 'createdAt'];

export const PUBLIC_KEY = { type: 'object', required: keyRequired, properties: keyProperties };

const secretOnce = (what: string) => ({ type: 'string', description: `The ${what}; shown once, only in this answer` });
const dsn = { type: 'string', description: 'The DSN for Sentry SDKs and the Faultline SDK' };

export const CREATED_PUBLIC_KEY = {
  type: 'object',
  required: [...keyRequired, 'publicKey', 'dsn'],
  properties: { ...keyProperties, publicKey: secretOnce('public key'), dsn },
};

export const CREATED_PROJECT = {
  type: 'object',
  required: [...PROJECT.required, 'publicKey', 'dsn'],
  properties: { ...PROJECT.properties, publicKey: secretOnce('project’s first public key'), dsn },
};

const tokenProperties = {
  id: id32,
  prefix: { type: 'string' },
  label: { type: 'string' },
  role: { type: 'string', enum: [...ROLES] },
  projectIds: { type: ['array', 'null'], items: id32, description: 'null: every project' },
  createdAt: time,
};
const tokenRequired = ['id', 'prefix', 'label', 'role', 'projectIds', 'createdAt'];

export const TOKEN = { type: 'object', required: tokenRequired, properties: tokenProperties };

export const CREATED_TOKEN = {
  type: 'object',
  required: [...tokenRequired, 'token'],
  properties: { ...tokenProperties, token: secretOnce('secret token') },
};

export const AUDIT_ENTRY = {
  type: 'object',
  required: ['id', 'at', 'actor', 'action', 'projectId', 'target', 'ip', 'details'],
  properties: {
    id: { type: 'string' },
    at: time,
    actor: { type: 'string', description: '`token:<prefix>`, `admin-token`, or what the host’s authorize() named' },
    action: { type: 'string', description: '`area.verb`: `project.create`, `key.revoke`, ...' },
    projectId: { type: ['integer', 'null'] },
    target: nullableString,
    ip: nullableString,
    details: { type: 'object' },
  },
};

/** A rule as the API answers it: secrets in actions masked (`****` and their last four characters). */
export const ALERT_RULE = {
  type: 'object',
  required: ['id', 'projectId', 'name', 'enabled', 'trigger', 'filters', 'actions', 'throttleMinutes', 'digestMinutes', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string', pattern: '^[1-9][0-9]*$' },
    projectId: id32,
    name: { type: 'string' },
    enabled: { type: 'boolean' },
    trigger: { type: 'object', required: ['type'], properties: { type: { type: 'string' } }, description: 'See the README, Alerts: rule reference' },
    filters: { type: 'object' },
    actions: { type: 'array', items: { type: 'object', required: ['channel'], properties: { channel: { type: 'string' } } } },
    throttleMinutes: { type: 'integer', minimum: 0 },
    digestMinutes: { type: ['integer', 'null'], minimum: 1 },
    createdAt: time,
    updatedAt: time,
  },
};

export const ALERT_DELIVERY = {
  type: 'object',
  required: ['id', 'ruleId', 'projectId', 'channel', 'reason', 'status', 'attempts', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    ruleId: { type: 'string' },
    projectId: id32,
    key: { type: 'string' },
    action: { type: 'integer', minimum: 0 },
    channel: { type: 'string' },
    issueId: nullableString,
    reason: { type: 'string' },
    status: { type: 'string', enum: [...ALERT_DELIVERY_STATUSES] },
    attempts: { type: 'integer', minimum: 0 },
    error: nullableString,
    receiverId: nullableString,
    digestKey: nullableString,
    message: { description: 'The alert message as JSON (no channel config, so no secrets)' },
    createdAt: time,
    updatedAt: time,
  },
};

/** `GET /api/v1/issues/:id/tags`: the top values of each tag among an issue's events. */
export const TAG_SUMMARY = {
  type: 'object',
  required: ['data'],
  properties: {
    data: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'values'],
        properties: {
          key: { type: 'string' },
          values: {
            type: 'array',
            items: { type: 'object', required: ['value', 'count'], properties: { value: { type: 'string' }, count: { type: 'integer', minimum: 0 } } },
          },
        },
      },
    },
  },
};

/** A project's retention policy (README, Retention). */
export const RETENTION_POLICY = {
  type: 'object',
  required: ['hotDays', 'archive', 'deleteAfterDays', 'maxEvents'],
  properties: {
    hotDays: { type: 'integer', minimum: 1 },
    archive: { type: 'boolean' },
    deleteAfterDays: { type: 'integer', minimum: 1 },
    maxEvents: { type: ['integer', 'null'], minimum: 1 },
  },
};

/** A project's own scrubbing rules, on top of the defaults. */
export const PROJECT_SCRUBBING = {
  type: 'object',
  required: ['keys', 'patterns', 'emails', 'ipAddresses', 'version', 'updatedAt'],
  properties: {
    keys: { type: 'array', items: { type: 'string' } },
    patterns: { type: 'array', items: { type: 'string' } },
    emails: { type: 'boolean' },
    ipAddresses: { type: 'boolean' },
    version: { type: 'integer', minimum: 0 },
    updatedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

/** `{data, nextCursor}`: one page of a cursor-paged list. */
export function pageOf(item: object): object {
  return {
    type: 'object',
    required: ['data', 'nextCursor'],
    properties: { data: { type: 'array', items: item }, nextCursor: { ...nullableString, description: 'Pass as `cursor` for the next page; null at the end' } },
  };
}

/** A page of issues; asked with `total`, it also says how many issues match. */
export const ISSUE_PAGE = {
  type: 'object',
  required: ['data', 'nextCursor'],
  properties: {
    ...(pageOf(ISSUE) as { properties: object }).properties,
    total: { type: 'integer', minimum: 0, description: `Issues matching the query, counted up to ${MAX_ISSUE_OFFSET}; only when asked for with \`total=true\`` },
    totalCapped: { type: 'boolean', description: `True when there are more than \`total\` (the count stops at ${MAX_ISSUE_OFFSET})` },
  },
};

/** A page of an issue's events, with cursors both ways. */
export const EVENT_PAGE = {
  type: 'object',
  required: ['data', 'nextCursor', 'prevCursor'],
  properties: {
    ...(pageOf(EVENT) as { properties: object }).properties,
    prevCursor: { ...nullableString, description: 'Pass as `cursor` (same `order`) for the page before; null at the start' },
  },
};

/** `{data}`: a whole list. */
export function listOf(item: object): object {
  return { type: 'object', required: ['data'], properties: { data: { type: 'array', items: item } } };
}

/** Every shape with its name in `components.schemas`. */
export const API_SHAPES: Record<string, object> = {
  Error: ERROR_BODY,
  Issue: ISSUE,
  Event: EVENT,
  IssuePage: ISSUE_PAGE,
  EventPage: EVENT_PAGE,
  Stats: STATS,
  NativeIngestResult: NATIVE_INGEST_RESULT,
  SentryResult: SENTRY_RESULT,
  Project: PROJECT,
  CreatedProject: CREATED_PROJECT,
  PublicKey: PUBLIC_KEY,
  CreatedPublicKey: CREATED_PUBLIC_KEY,
  Token: TOKEN,
  CreatedToken: CREATED_TOKEN,
  AuditEntry: AUDIT_ENTRY,
  AlertRule: ALERT_RULE,
  AlertDelivery: ALERT_DELIVERY,
  TagSummary: TAG_SUMMARY,
  ProjectScrubbing: PROJECT_SCRUBBING,
  RetentionPolicy: RETENTION_POLICY,
};
