import { createHash } from 'node:crypto';
import type { CanonicalEvent, ExceptionValue, StackFrame } from '../event/types.js';

/** Bumped whenever the default components change, so old and new issues can be told apart. */
export const GROUPING_VERSION = 'faultline:1';
const DEFAULT_MARKER = /^\{\{\s*default\s*\}\}$/;

/**
 * The default grouping components: exception types and in-app frames (module or normalized file plus
 * function; never line or column numbers), falling back to all frames, then to the masked message.
 */
export function defaultFingerprint(event: CanonicalEvent): string[] {
  const values = event.exception?.values ?? [];
  if (values.length > 0) {
    const parts: string[] = [];
    for (const value of values) parts.push(...exceptionComponents(value));
    return parts;
  }
  if (event.message) return ['message', maskVariables(firstLine(event.message))];
  return ['empty', event.transaction ?? '', event.logger ?? ''];
}

/** Applies a client fingerprint, where `{{ default }}` stands for the default components. */
export function resolveFingerprint(event: CanonicalEvent): string[] {
  const custom = event.fingerprint;
  if (!custom || custom.length === 0) return defaultFingerprint(event);
  const out: string[] = ['custom'];
  for (const part of custom) {
    if (typeof part === 'string' && DEFAULT_MARKER.test(part)) out.push(...defaultFingerprint(event));
    else out.push(String(part));
  }
  return out;
}

export function hashFingerprint(components: readonly string[]): string {
  return createHash('sha256').update(components.join('\n')).digest('hex').slice(0, 32);
}

function exceptionComponents(value: ExceptionValue): string[] {
  const type = value.type ?? 'Error';
  const frames = value.stacktrace?.frames ?? [];
  const inApp = frames.filter((f) => f.in_app);
  const chosen = inApp.length > 0 ? inApp : frames;
  if (chosen.length === 0) return ['exception', type, maskVariables(firstLine(value.value ?? ''))];
  return ['exception', type, ...chosen.map(frameComponent)];
}

function frameComponent(frame: StackFrame): string {
  const where = frame.module ? frame.module : memoized(filenames, frame.filename ?? frame.abs_path ?? '', normalizeFilename);
  return `${where}:${frame.function ? memoized(functions, frame.function, normalizeFunction) : '?'}`;
}

/**
 * The same files and functions recur in nearly every event of an app, and their normalization is a chain
 * of regular expressions: remember recent results. Bounded: cleared when full, so hostile input cannot
 * grow it.
 */
const MEMO_MAX = 10_000;
const filenames = new Map<string, string>();
const functions = new Map<string, string>();

function memoized(cache: Map<string, string>, input: string, normalize: (s: string) => string): string {
  let out = cache.get(input);
  if (out === undefined) {
    out = normalize(input);
    if (cache.size >= MEMO_MAX) cache.clear();
    if (input.length <= 1024) cache.set(input, out);
  }
  return out;
}

/**
 * Keeps what identifies a source file across deployments: drops origin, query and fragment, and masks
 * tokens that change per build (content hashes, release directories, dates).
 */
export function normalizeFilename(filename: string): string {
  let path = filename.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/[?#].*$/, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) path = path.slice(nm + 1);
  return path
    .split('/')
    .map((segment) => segment.replace(/[0-9a-f]{7,}|(?<=[.-])[A-Za-z0-9_]{8}(?=\.[a-z]+$)|\d{4,}[-_.]?\d*/gi, maskIfVolatile))
    .join('/');
}

function maskIfVolatile(token: string): string {
  // A plain word like "controller" is not a hash: volatile tokens carry digits.
  return /\d/.test(token) ? '<hash>' : token;
}

/** Function names without memory addresses, anonymous markers or minifier names. */
export function normalizeFunction(name: string | undefined): string {
  if (!name) return '?';
  const cleaned = name
    .replace(/0x[0-9a-f]+/gi, '')
    .replace(/^(async |new )/, '')
    .replace(/<anonymous>|\[as [^\]]+\]/g, '')
    .trim();
  // Minified names (a, t, Ne) change between builds and say nothing.
  if (cleaned.length <= 2) return '?';
  return cleaned;
}

/** Masks the parts of a message that vary between occurrences of the same error. */
export function maskVariables(text: string): string {
  return text
    .replace(/\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b/gi, '<uuid>')
    .replace(/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?\b/g, '<date>')
    .replace(/\b0x[0-9a-f]+\b/gi, '<hex>')
    .replace(/\b[0-9a-f]{12,}\b/gi, '<hex>')
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '<str>')
    .replace(/\b\d+(\.\d+)?\b/g, '<num>');
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}
