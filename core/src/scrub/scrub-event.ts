import type { CanonicalEvent } from '../event/types.js';
import { compilePattern, type ScrubbingRules } from './scrubbing-rules.js';
import { DEFAULT_KEY_TERMS, FILTERED, filterCardNumbers, filterEmails, filterIpAddresses, isCardNumber, keyForm } from './default-rules.js';

/** Replaces what the rules filter in an event; returns the same object when nothing matched. */
export type ScrubEvent = (event: CanonicalEvent) => CanonicalEvent;

/** Top-level fields that identify or describe the event rather than carry what it saw (`modules`: installed packages and their versions). */
const EVENT_FIELDS_KEPT = new Set(['event_id', 'timestamp', 'received', 'level', 'platform', 'sdk', 'fingerprint', 'release', 'dist', 'environment', 'modules', 'debug_meta']);

/**
 * Fields of stack frames and debug images, anywhere: code locations and source lines, not data (a
 * frame's data is its `vars`, which are scrubbed). Skipping them keeps `x = a.b` lines of source
 * context out of the value rules, which would cost time and find nothing to filter.
 */
const LOCATION_FIELDS = new Set([
  'filename',
  'abs_path',
  'function',
  'module',
  'package',
  'lineno',
  'colno',
  'in_app',
  'pre_context',
  'context_line',
  'post_context',
  'instruction_addr',
  'symbol_addr',
  'image_addr',
  'debug_id',
]);

/** Strings longer than this are not parsed as JSON to look inside (their other rules still apply). */
const MAX_JSON_STRING = 100_000;
/** Key decisions remembered per compiled rule set (keys repeat across events); the memo is bounded. */
const MAX_REMEMBERED_KEYS = 5_000;
/** Deeper than the event schema allows anything: a cycle or a hostile value is cut off, not followed. */
const MAX_DEPTH = 64;

// `name=value` pairs in URLs, query strings, form bodies and log lines.
const PAIR = /(^|[?&;,\s])([^=&;,#?\s]{1,200})=([^&;#\s]*)/g;

/**
 * Compiles a project's rules once (an ingest thread keeps the result per project and version):
 * - a value under a key whose name holds a default or custom term is replaced whole by `[Filtered]`,
 *   in every part of the event: extra, contexts, tags, user, request headers, cookies, data and env,
 *   breadcrumbs' data, frames' vars; also `name=value` pairs in strings (query strings in URLs,
 *   breadcrumbs' URLs, form bodies), `[name, value]` pairs in lists (query strings and headers as
 *   Sentry SDKs send them), and objects inside JSON strings (a request body sent as text);
 * - in every string, card numbers (Luhn-checked), and with the project's options e-mail addresses,
 *   IP addresses and the custom patterns' matches become `[Filtered]`.
 */
export function compileScrubber(rules: ScrubbingRules): ScrubEvent {
  const terms = [...DEFAULT_KEY_TERMS, ...rules.keys.map(keyForm).filter((t) => t.length > 0)];
  const patterns = rules.patterns.map(compilePattern);
  const keyMemo = new Map<string, boolean>();

  function sensitiveKey(key: string): boolean {
    let known = keyMemo.get(key);
    if (known === undefined) {
      const form = keyForm(key);
      known = terms.some((term) => form.includes(term));
      if (keyMemo.size >= MAX_REMEMBERED_KEYS) keyMemo.clear();
      keyMemo.set(key, known);
    }
    return known;
  }

  function scrubText(text: string): string {
    let out = filterCardNumbers(text);
    if (rules.emails) out = filterEmails(out);
    if (rules.ipAddresses) out = filterIpAddresses(out);
    for (const pattern of patterns) {
      pattern.lastIndex = 0;
      if (pattern.test(out)) {
        pattern.lastIndex = 0;
        out = pattern.replace(out, FILTERED);
      }
    }
    if (out.includes('=')) out = out.replace(PAIR, (whole, lead: string, key: string) => (sensitiveKey(safeDecode(key)) ? `${lead}${key}=${FILTERED}` : whole));
    return out;
  }

  function scrubString(text: string, depth: number): string {
    const first = text.charCodeAt(0);
    if ((first === 0x7b || first === 0x5b) && text.length <= MAX_JSON_STRING) {
      const inner = scrubJsonText(text, depth);
      if (inner !== undefined) return inner;
    }
    return scrubText(text);
  }

  /** A string holding a JSON object or array: scrubbed inside and written back, or undefined when it is not JSON. */
  function scrubJsonText(text: string, depth: number): string | undefined {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const scrubbed = scrubValue(parsed, depth + 1);
    if (scrubbed === parsed) return text;
    try {
      return JSON.stringify(scrubbed);
    } catch {
      return FILTERED; // nested past what JSON.stringify can write: drop it rather than keep what was filtered
    }
  }

  function scrubValue(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return value.length === 0 ? value : scrubString(value, depth);
    if (typeof value === 'number') return isCardNumber(value) ? FILTERED : value;
    if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
    if (Array.isArray(value)) return scrubArray(value, depth);
    return scrubObject(value as Record<string, unknown>, depth, null);
  }

  function scrubArray(list: unknown[], depth: number): unknown[] {
    let copy: unknown[] | null = null;
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      const next = isPair(item) && sensitiveKey(item[0]) && item[1] != null ? [item[0], FILTERED] : scrubValue(item, depth + 1);
      if (next !== item) (copy ??= list.slice())[i] = next;
    }
    return copy ?? list;
  }

  function scrubObject(object: Record<string, unknown>, depth: number, kept: Set<string> | null): Record<string, unknown> {
    let copy: Record<string, unknown> | null = null;
    for (const key in object) {
      if (!Object.hasOwn(object, key)) continue;
      const value = object[key];
      if (value == null || kept?.has(key) || LOCATION_FIELDS.has(key)) continue;
      // At the top, a field that holds a part of the event (`user`, `request`) is searched, never replaced whole.
      const whole = sensitiveKey(key) && (kept === null || typeof value !== 'object');
      const next = whole ? FILTERED : scrubValue(value, depth + 1);
      // defineProperty, not `=`: a key named `__proto__` (JSON.parse makes it an own property) must be replaced, not the prototype set.
      if (next !== value) Object.defineProperty((copy ??= { ...object }), key, { value: next, enumerable: true, writable: true, configurable: true });
    }
    return copy ?? object;
  }

  return function scrubEvent(event) {
    return scrubObject(event as unknown as Record<string, unknown>, 0, EVENT_FIELDS_KEPT) as unknown as CanonicalEvent;
  };
}

function isPair(item: unknown): item is [string, unknown] {
  return Array.isArray(item) && item.length === 2 && typeof item[0] === 'string';
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
