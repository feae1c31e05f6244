import { FaultlineError } from '../errors.js';
import type { DataLoss } from '../event/data-loss.js';

/**
 * Sentry event payload -> canonical incoming event. The canonical schema already uses Sentry's field
 * names, so this only folds legacy and alternative shapes into the one the validator expects:
 * `sentry.interfaces.*` aliases, `exception` as a bare list, `logentry`/`message` objects, stack traces
 * held by `threads` or at the top level, breadcrumbs and tags and headers as lists, zone-less ISO
 * timestamps (float seconds are valid as they are: normalize reads them), nulls where the schema
 * wants a type. Unknown fields are kept as they are. What it drops besides nulls (a malformed list entry,
 * an alias beside its field) marks `loss`.
 * Pure: no I/O, and throws only for a value nested too deeply to print (FAULTLINE_ERR_INGEST_TOO_DEEP); what
 * still does not fit is left for the validator to reject with a path.
 */
type Json = Record<string, unknown>;

const ALIASES: Record<string, string> = {
  'sentry.interfaces.Exception': 'exception',
  'sentry.interfaces.Message': 'logentry',
  'sentry.interfaces.Stacktrace': 'stacktrace',
  'sentry.interfaces.User': 'user',
  'sentry.interfaces.Http': 'request',
  'sentry.interfaces.Breadcrumbs': 'breadcrumbs',
  'sentry.interfaces.Threads': 'threads',
};

export function mapSentryEvent(input: unknown, loss?: DataLoss): unknown {
  if (!isObject(input)) return input;
  const e = input;
  for (const [alias, name] of Object.entries(ALIASES)) {
    if (alias in e) {
      if (e[name] === undefined) e[name] = e[alias];
      else drop(loss, e[alias]);
      delete e[alias];
    }
  }
  dropNulls(e, ['level', 'platform', 'logger', 'release', 'environment', 'server_name', 'transaction', 'dist']);
  if (typeof e.level === 'string') e.level = e.level.toLowerCase();
  if (e.timestamp !== undefined) e.timestamp = mapTimestamp(e.timestamp);

  mapMessage(e, loss);
  mapException(e, loss);
  if (e.breadcrumbs !== undefined) e.breadcrumbs = mapBreadcrumbs(e.breadcrumbs, loss);
  if (e.tags !== undefined) e.tags = mapTags(e.tags, loss);
  if (isObject(e.request)) mapRequest(e.request, loss);
  if (e.user === null) delete e.user;
  if (isObject(e.contexts)) {
    for (const [name, value] of Object.entries(e.contexts)) {
      if (!isObject(value)) {
        drop(loss, value);
        delete e.contexts[name];
      }
    }
  } else if (e.contexts !== undefined) {
    drop(loss, e.contexts);
    delete e.contexts;
  }
  if (e.extra === null) delete e.extra;
  if (e.fingerprint !== undefined && !Array.isArray(e.fingerprint)) {
    drop(loss, e.fingerprint);
    delete e.fingerprint;
  }
  return e;
}

/** Marks `loss` when what is dropped held something (a null holds nothing). */
function drop(loss: DataLoss | undefined, value: unknown): void {
  if (loss && value !== null && value !== undefined) loss.lossy = true;
}

/** `list` without its entries that are not objects, marking `loss` when there were some. */
function objectsOf(list: unknown[], loss: DataLoss | undefined): Json[] {
  const objects = list.filter(isObject);
  if (objects.length !== list.length) for (const item of list) if (!isObject(item)) drop(loss, item);
  return objects;
}

/** `logentry {message, params, formatted}` or a `message` object -> the `message` string. */
function mapMessage(e: Json, loss: DataLoss | undefined): void {
  const entry = isObject(e.logentry) ? e.logentry : isObject(e.message) ? e.message : undefined;
  if (entry) {
    if (entry === e.logentry && isObject(e.message)) drop(loss, e.message); // replaced by the logentry's text, or deleted
    const text = typeof entry.formatted === 'string' ? entry.formatted : formatLogMessage(entry.message, entry.params);
    if (text !== undefined) e.message = text;
    else if (isObject(e.message)) delete e.message;
    if (!isObject(e.logentry)) e.logentry = entry; // keep the template and params, as Sentry does
  } else if (e.message === null) {
    delete e.message;
  }
  if (e.logentry === null) delete e.logentry;
}

/** printf-style templates (`%s`, `%d`, `%r`, `%%`) and `{}` placeholders, as the SDKs send them. */
export function formatLogMessage(template: unknown, params: unknown): string | undefined {
  if (typeof template !== 'string') return undefined;
  if (!Array.isArray(params) && !isObject(params)) return template;
  if (isObject(params)) {
    return template.replace(/%\((\w+)\)[sdrif]/g, (whole, name: string) => (name in params ? show(params[name]) : whole));
  }
  let i = 0;
  const formatted = template.replace(/%%|%[sdrif]|\{\}/g, (token) => {
    if (token === '%%') return '%';
    return i < params.length ? show(params[i++]) : token;
  });
  return formatted;
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch (err) {
    // JSON.stringify recurses: a value nested past the stack (ingest threads have a small one) is refused as validation would refuse it
    if (err instanceof RangeError) throw new FaultlineError('FAULTLINE_ERR_INGEST_TOO_DEEP');
    throw err;
  }
}

function mapException(e: Json, loss: DataLoss | undefined): void {
  let exception = e.exception;
  if (exception === null) {
    delete e.exception;
    return;
  }
  if (Array.isArray(exception)) exception = { values: exception };
  else if (isObject(exception) && !Array.isArray(exception.values) && ('type' in exception || 'value' in exception)) {
    exception = { values: [exception] }; // a single exception object, as very old clients send
  }
  const topStacktrace = isObject(e.stacktrace) ? e.stacktrace : undefined;
  const threads = threadList(e.threads);
  if (!isObject(exception) || !Array.isArray(exception.values)) {
    if (exception !== undefined) e.exception = exception;
    return;
  }
  e.exception = exception;
  const values = objectsOf(exception.values, loss);
  exception.values = values;
  if (isSyntheticMessage(values, e.message)) {
    // captureMessage with a stack: the SDK wraps the message in a typeless "synthetic" exception.
    // Sentry treats such an event as a message; its stack stays on the event as `stacktrace`.
    if (e.stacktrace === undefined && isObject(values[0].stacktrace)) e.stacktrace = values[0].stacktrace;
    else drop(loss, values[0].stacktrace);
    drop(loss, values[0].mechanism); // the mechanism ({synthetic: true}, maybe more) goes with it
    delete e.exception;
    return;
  }
  for (const value of values) {
    dropNulls(value, ['type', 'module', 'mechanism', 'thread_id']);
    if (value.value !== undefined && value.value !== null && typeof value.value !== 'string') value.value = show(value.value);
    if (!hasFrames(value.stacktrace)) {
      const fromThread = threadStacktrace(threads, value.thread_id, values.length === 1);
      if (fromThread) value.stacktrace = fromThread;
      else if (topStacktrace && values.length === 1) value.stacktrace = topStacktrace;
    }
    if (value.stacktrace === null) delete value.stacktrace;
    if (isObject(value.stacktrace)) mapFrames(value.stacktrace, loss);
  }
  if (topStacktrace && values.some((v) => v.stacktrace === topStacktrace)) delete e.stacktrace;
}

function isSyntheticMessage(values: Json[], message: unknown): boolean {
  if (values.length !== 1 || typeof message !== 'string') return false;
  const [value] = values;
  return isObject(value.mechanism) && value.mechanism.synthetic === true && !value.type && (value.value === undefined || value.value === message);
}

function threadList(threads: unknown): Json[] {
  const list = Array.isArray(threads) ? threads : isObject(threads) && Array.isArray(threads.values) ? threads.values : [];
  return list.filter(isObject);
}

/** The stack of the thread an exception names, else (for a lone exception) the crashed or current one. */
function threadStacktrace(threads: Json[], threadId: unknown, lone: boolean): Json | undefined {
  let thread: Json | undefined;
  if (threadId !== undefined) thread = threads.find((t) => t.id === threadId || String(t.id) === String(threadId));
  if (!thread && lone) thread = threads.find((t) => t.crashed === true) ?? threads.find((t) => t.current === true);
  return thread && hasFrames(thread.stacktrace) ? (thread.stacktrace as Json) : undefined;
}

function hasFrames(stacktrace: unknown): boolean {
  return isObject(stacktrace) && Array.isArray(stacktrace.frames) && stacktrace.frames.length > 0;
}

const FRAME_STRINGS = ['filename', 'abs_path', 'function', 'module', 'context_line', 'package', 'platform', 'raw_function'];

function mapFrames(stacktrace: Json, loss: DataLoss | undefined): void {
  if (!Array.isArray(stacktrace.frames)) {
    if (stacktrace.frames !== undefined) {
      drop(loss, stacktrace.frames);
      delete stacktrace.frames;
    }
    return;
  }
  stacktrace.frames = objectsOf(stacktrace.frames, loss);
  for (const frame of stacktrace.frames as Json[]) {
    for (const key of FRAME_STRINGS) if (frame[key] === null) delete frame[key];
    for (const key of ['lineno', 'colno']) {
      const n = frame[key];
      if (n === null || (typeof n === 'number' && (!Number.isInteger(n) || n < 0))) {
        drop(loss, n);
        delete frame[key];
      }
    }
    if (typeof frame.in_app !== 'boolean') {
      drop(loss, frame.in_app);
      delete frame.in_app;
    }
    if (frame.vars === null) delete frame.vars;
    for (const key of ['pre_context', 'post_context']) if (frame[key] === null) delete frame[key];
  }
}

/** Float seconds stay numbers (normalize reads them); ISO strings without a zone are UTC, as in Sentry. */
function mapTimestamp(value: unknown): unknown {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return `${value}Z`;
  return value;
}

function mapBreadcrumbs(value: unknown, loss: DataLoss | undefined): unknown {
  const list = Array.isArray(value) ? value : isObject(value) && Array.isArray(value.values) ? value.values : null;
  if (isObject(value) && Object.keys(value).some((k) => k !== 'values')) drop(loss, value);
  if (!list) return value === null || isObject(value) ? [] : value;
  const crumbs = objectsOf(list, loss);
  for (const crumb of crumbs) {
    // Float seconds stay numbers, as native ingest keeps them (the schema takes both; converting 100
    // crumbs per event costs more than the rest of the mapping). Zone-less ISO strings get their Z.
    if (typeof crumb.timestamp === 'string') crumb.timestamp = mapTimestamp(crumb.timestamp);
    dropNulls(crumb, ['timestamp', 'type', 'category', 'level']);
    if (typeof crumb.level === 'string') crumb.level = crumb.level.toLowerCase();
    if (crumb.message !== undefined && crumb.message !== null && typeof crumb.message !== 'string') crumb.message = show(crumb.message);
  }
  return crumbs;
}

/** `{k: v}` or `[[k, v], ...]` -> `{k: "v"}`. */
function mapTags(value: unknown, loss: DataLoss | undefined): unknown {
  const pairs = pairsOf(value, loss);
  if (!pairs) return value === null ? {} : value;
  const tags: Record<string, string> = {};
  for (const [key, v] of pairs) if (v !== null && v !== undefined) tags[key] = typeof v === 'string' ? v : show(v);
  return tags;
}

function mapRequest(request: Json, loss: DataLoss | undefined): void {
  if (request.headers !== undefined) {
    const pairs = pairsOf(request.headers, loss);
    if (pairs) {
      const headers: Record<string, string> = {};
      for (const [name, v] of pairs) {
        if (v === null || v === undefined) continue;
        const text = typeof v === 'string' ? v : show(v);
        headers[name] = name in headers ? `${headers[name]}, ${text}` : text; // repeated headers, as HTTP folds them
      }
      request.headers = headers;
    } else if (request.headers === null) delete request.headers;
  }
  dropNulls(request, ['url', 'method', 'query_string']);
}

/** An object's entries or a list of `[key, value]` pairs; null if the value is neither. */
function pairsOf(value: unknown, loss: DataLoss | undefined): [string, unknown][] | null {
  if (Array.isArray(value)) {
    const pairs: [string, unknown][] = [];
    for (const pair of value) {
      if (Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string') pairs.push([pair[0], pair[1]]);
      else drop(loss, pair);
    }
    return pairs;
  }
  return isObject(value) ? Object.entries(value) : null;
}

function dropNulls(obj: Json, keys: string[]): void {
  for (const key of keys) if (obj[key] === null) delete obj[key];
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
