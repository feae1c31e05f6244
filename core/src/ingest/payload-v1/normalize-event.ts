/**
 * FROZEN: how version-1 payloads decode. A copy of core/src/ingest/normalize-event.ts (strip-nul.ts and
 * LEVELS inlined) as of commit 3d87e31, which wrote version 1.
 * Never change what it does: old rows would read differently (the fixtures in
 * core/test/fixtures/payloads/v1 say what they mean). Type-level edits only. See ../event-payload.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Breadcrumb, CanonicalEvent, IncomingEvent, Level } from '../../event/types.js';

const LEVELS = ['fatal', 'error', 'warning', 'info', 'debug'] as const;

const LEVEL_ALIASES: Record<string, Level> = { warn: 'warning', critical: 'fatal', log: 'info' };
const MAX_FUTURE_MS = 60_000;
const TAG_VALUE_MAX = 200;

/** What normalizing uses of the ingest limits: it trims, it does not reject. */
export interface NormalizeLimits {
  maxStringLength: number;
  maxBreadcrumbs: number;
}

export interface NormalizeContext {
  receivedAt: Date;
  /** The client's address as Express sees it (trust proxy applied). */
  clientIp: string | undefined;
  limits: NormalizeLimits;
}

/**
 * Fills in what later steps rely on and trims what is too long. Mutates and returns the event: it was
 * parsed for this request alone, and copying every event would cost more than the rest of ingest.
 */
export function normalizeEvent(input: IncomingEvent, ctx: NormalizeContext): CanonicalEvent {
  const e = input as CanonicalEvent;
  const max = ctx.limits.maxStringLength;

  e.event_id = input.event_id ? input.event_id.replace(/-/g, '').toLowerCase() : randomUUID().replace(/-/g, '');
  e.timestamp = normalizeTimestamp(input.timestamp, ctx.receivedAt);
  e.platform = input.platform ? stripNul(input.platform) : 'other';
  if (typeof input.release === 'string') e.release = stripNul(input.release);
  if (typeof input.environment === 'string') e.environment = stripNul(input.environment);

  const message = input.message;
  if (message !== undefined && typeof message !== 'string') {
    e.message = message?.formatted ?? message?.message ?? undefined;
  }
  if (typeof e.message === 'string') e.message = trim(e.message, max);
  else delete e.message;

  e.level = normalizeLevel(input.level, input.exception?.values?.length ? 'error' : 'info');
  e.tags = normalizeTags(input.tags);
  if (input.breadcrumbs !== undefined) e.breadcrumbs = normalizeBreadcrumbs(input.breadcrumbs, ctx.limits);

  for (const value of input.exception?.values ?? []) {
    if (typeof value.value === 'string') value.value = trim(value.value, max);
    for (const frame of value.stacktrace?.frames ?? []) {
      if (frame.in_app === undefined) frame.in_app = isInApp(frame.abs_path ?? frame.filename ?? frame.module);
      if (typeof frame.context_line === 'string') frame.context_line = trim(frame.context_line, 1024);
    }
  }

  if (input.user?.ip_address === '{{auto}}') {
    if (ctx.clientIp) input.user.ip_address = ctx.clientIp;
    else delete input.user.ip_address;
  }
  if (input.extra) trimStrings(input.extra, max);
  if (input.contexts) trimStrings(input.contexts, max);
  return e;
}

function normalizeTimestamp(value: string | number | undefined, receivedAt: Date): string {
  let ms: number;
  if (typeof value === 'number') ms = value * 1000; // Sentry's float seconds
  else if (typeof value === 'string') ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  else ms = NaN;
  const received = receivedAt.getTime();
  if (!Number.isFinite(ms) || ms > received + MAX_FUTURE_MS || ms < 0) ms = received;
  return new Date(ms).toISOString();
}

export function normalizeLevel(level: unknown, fallback: Level): Level {
  if (typeof level !== 'string') return fallback;
  if ((LEVELS as readonly string[]).includes(level)) return level as Level;
  return LEVEL_ALIASES[level] ?? fallback;
}

function normalizeTags(tags: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const entries: unknown[][] = Array.isArray(tags) ? tags : tags && typeof tags === 'object' ? Object.entries(tags) : [];
  for (const pair of entries) {
    const [key, value] = pair;
    if (value === null || value === undefined || typeof key !== 'string' && typeof key !== 'number') continue;
    out[trim(String(key), TAG_VALUE_MAX)] = trim(String(value), TAG_VALUE_MAX);
  }
  return out;
}

function normalizeBreadcrumbs(input: Breadcrumb[] | { values?: Breadcrumb[] }, limits: NormalizeLimits): Breadcrumb[] {
  const list = Array.isArray(input) ? input : (input.values ?? []);
  const kept = list.length > limits.maxBreadcrumbs ? list.slice(-limits.maxBreadcrumbs) : list;
  for (const crumb of kept) {
    if (typeof crumb.message === 'string') crumb.message = trim(crumb.message, limits.maxStringLength);
    if (crumb.level !== undefined) crumb.level = normalizeLevel(crumb.level, 'info');
    if (crumb.data) trimStrings(crumb.data, limits.maxStringLength);
  }
  return kept;
}

/** Frames from dependencies, the runtime itself, or native code are not the app's. */
export function isInApp(path: string | undefined): boolean {
  if (!path) return false;
  return !(
    path.includes('node_modules/') ||
    path.startsWith('node:') ||
    path.startsWith('internal/') ||
    path === '<anonymous>' ||
    path === '[native code]'
  );
}

function trim(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Shortens every string in a free-form object; depth is already bounded by validation. */
function trimStrings(value: Record<string, unknown> | unknown[], max: number): void {
  const obj = value as Record<string, unknown>;
  for (const key in obj) {
    const item = obj[key];
    if (typeof item === 'string') {
      if (item.length > max) obj[key] = trim(item, max);
    } else if (item !== null && typeof item === 'object') {
      trimStrings(item as Record<string, unknown>, max);
    }
  }
}

function stripNul(s: string): string {
  return s.includes('\u0000') ? s.replace(/\u0000/g, '') : s;
}
