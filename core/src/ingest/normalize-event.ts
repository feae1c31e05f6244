import { randomUUID } from 'node:crypto';
import type { DataLoss } from '../event/data-loss.js';
import { LEVELS, type Breadcrumb, type CanonicalEvent, type IncomingEvent, type Level } from '../event/types.js';
import { stripNul } from './strip-nul.js';

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
  /** Marked when something sent is trimmed or dropped (event/data-loss.ts). */
  loss?: DataLoss;
}

/**
 * Fills in what later steps rely on and trims what is too long. Mutates and returns the event: it was
 * parsed for this request alone, and copying every event would cost more than the rest of ingest.
 */
export function normalizeEvent(input: IncomingEvent, ctx: NormalizeContext): CanonicalEvent {
  const e = input as CanonicalEvent;
  const max = ctx.limits.maxStringLength;
  const loss = ctx.loss;

  e.event_id = eventIdOf(input.event_id);
  e.timestamp = normalizeTimestamp(input.timestamp, ctx.receivedAt);
  e.platform = input.platform ? stripNul(input.platform) : 'other';
  if (typeof input.release === 'string') e.release = stripNul(input.release);
  if (typeof input.environment === 'string') e.environment = stripNul(input.environment);

  const message = input.message;
  if (message !== undefined && typeof message !== 'string') {
    if (message !== null && loss) loss.lossy = true; // one of its forms is kept
    e.message = message?.formatted ?? message?.message ?? undefined;
  }
  if (typeof e.message === 'string') e.message = trim(e.message, max, loss);
  else delete e.message;

  e.level = normalizeLevel(input.level, input.exception?.values?.length ? 'error' : 'info');
  e.tags = normalizeTags(input.tags, loss);
  if (input.breadcrumbs !== undefined) e.breadcrumbs = normalizeBreadcrumbs(input.breadcrumbs, ctx.limits, loss);

  for (const value of input.exception?.values ?? []) {
    if (typeof value.value === 'string') value.value = trim(value.value, max, loss);
    for (const frame of value.stacktrace?.frames ?? []) {
      if (frame.in_app === undefined) frame.in_app = isInApp(frame.abs_path ?? frame.filename ?? frame.module);
      if (typeof frame.context_line === 'string') frame.context_line = trim(frame.context_line, 1024, loss);
    }
  }

  fillClientIp(input, ctx.clientIp);
  if (input.extra) trimStrings(input.extra, max, loss);
  if (input.contexts) trimStrings(input.contexts, max, loss);
  return e;
}

/** A sent id without dashes, lowercased; a missing or all-zero one (sentry-cli's `--raw`) gets a fresh id. */
function eventIdOf(sent: string | undefined): string {
  const id = sent ? sent.replace(/-/g, '').toLowerCase() : '';
  return id && !/^0+$/.test(id) ? id : randomUUID().replace(/-/g, '');
}

/**
 * The client's address where the event asks for it, as Relay does: `user.ip_address: "{{auto}}"`, or no
 * address and `sdk.settings.infer_ip: "auto"` (what @sentry/browser sends with `sendDefaultPii`). With
 * `infer_ip: "never"` no address is filled in.
 */
function fillClientIp(input: IncomingEvent, clientIp: string | undefined): void {
  const inferIp = (input.sdk?.settings as { infer_ip?: unknown } | undefined)?.infer_ip;
  const sent = input.user?.ip_address;
  const wanted = inferIp === 'never' ? false : sent === '{{auto}}' || (sent === undefined && inferIp === 'auto');
  if (!wanted) {
    if (sent === '{{auto}}') delete input.user!.ip_address;
    return;
  }
  if (!clientIp) {
    if (input.user) delete input.user.ip_address;
    return;
  }
  input.user ??= {};
  input.user.ip_address = clientIp;
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

function normalizeTags(tags: unknown, loss: DataLoss | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const entries: unknown[][] = Array.isArray(tags) ? tags : tags && typeof tags === 'object' ? Object.entries(tags) : [];
  for (const pair of entries) {
    const [key, value] = pair;
    if (value === null || value === undefined) continue;
    if ((typeof key !== 'string' && typeof key !== 'number') || pair.length > 2) {
      if (loss) loss.lossy = true;
      if (typeof key !== 'string' && typeof key !== 'number') continue;
    }
    out[trim(String(key), TAG_VALUE_MAX, loss)] = trim(String(value), TAG_VALUE_MAX, loss);
  }
  return out;
}

function normalizeBreadcrumbs(input: Breadcrumb[] | { values?: Breadcrumb[] }, limits: NormalizeLimits, loss: DataLoss | undefined): Breadcrumb[] {
  const list = Array.isArray(input) ? input : (input.values ?? []);
  if (!Array.isArray(input) && loss && Object.keys(input).some((k) => k !== 'values')) loss.lossy = true;
  let kept = list;
  if (list.length > limits.maxBreadcrumbs) {
    kept = list.slice(-limits.maxBreadcrumbs);
    if (loss) loss.lossy = true;
  }
  for (const crumb of kept) {
    if (typeof crumb.message === 'string') crumb.message = trim(crumb.message, limits.maxStringLength, loss);
    if (crumb.level !== undefined) crumb.level = normalizeLevel(crumb.level, 'info');
    if (crumb.data) trimStrings(crumb.data, limits.maxStringLength, loss);
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

function trim(s: string, max: number, loss: DataLoss | undefined): string {
  if (s.length <= max) return s;
  if (loss) loss.lossy = true;
  return `${s.slice(0, max - 1)}…`;
}

/** Shortens every string in a free-form object; depth is already bounded by validation. */
function trimStrings(value: Record<string, unknown> | unknown[], max: number, loss: DataLoss | undefined): void {
  const obj = value as Record<string, unknown>;
  for (const key in obj) {
    const item = obj[key];
    if (typeof item === 'string') {
      if (item.length > max) obj[key] = trim(item, max, loss);
    } else if (item !== null && typeof item === 'object') {
      trimStrings(item as Record<string, unknown>, max, loss);
    }
  }
}
