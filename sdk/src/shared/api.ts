import type { Client } from './client.js';
import { exceptionValues } from './exception.js';
import { createScope, type ScopeData } from './scope.js';
import type { Breadcrumb, EventHint, FaultlineEvent, Level, Mechanism, User } from './types.js';
import { uuid } from './uuid.js';

/** The public API shared by the browser and Node entries; every call is a no-op before `init`. */

let client: Client | undefined;
const scopes: ScopeData[] = [createScope()];
let lastId: string | undefined;

function current(): ScopeData {
  return scopes[scopes.length - 1];
}

export function bindClient(c: Client | undefined): void {
  client = c;
}

export function getClient(): Client | undefined {
  return client;
}

/** Queues an event (with the current scope) and returns its id. Used by the integrations too. */
export function captureEvent(partial: Partial<FaultlineEvent>, hint: EventHint = {}): string {
  const event: FaultlineEvent = { level: 'error', ...partial, event_id: uuid(), timestamp: new Date().toISOString() };
  lastId = event.event_id;
  if (client) client.capture(event, hint, current());
  return event.event_id;
}

/** Captures an error from an automatic handler, with how it was caught. */
export function captureError(err: unknown, mechanism: Mechanism, partial?: Partial<FaultlineEvent>): string {
  try {
    return captureEvent({ ...partial, exception: { values: exceptionValues(err, mechanism) } }, { originalException: err, mechanism });
  } catch {
    return '';
  }
}

export function captureException(err: unknown): string {
  return captureError(err, { type: 'generic', handled: true });
}

export function captureMessage(message: string, level: Level = 'info'): string {
  return captureEvent({ message: String(message), level });
}

export function lastEventId(): string | undefined {
  return lastId;
}

export function setUser(user: User | null): void {
  current().user = user || undefined;
}

export function setTag(key: string, value: string): void {
  current().tags[key] = String(value);
}

export function setTags(tags: Record<string, string>): void {
  for (const k in tags) setTag(k, tags[k]);
}

export function setContext(name: string, context: Record<string, unknown> | null): void {
  const c = current().contexts;
  if (context) c[name] = context;
  else delete c[name];
}

export function setExtra(key: string, value: unknown): void {
  current().extra[key] = value;
}

export function setLevel(level: Level): void {
  current().level = level;
}

export function setFingerprint(fingerprint: string[]): void {
  current().fingerprint = fingerprint;
}

/** Adds a breadcrumb to the current scope, through `beforeBreadcrumb`, keeping the newest `maxBreadcrumbs`. */
export function addBreadcrumb(crumb: Breadcrumb): void {
  if (!client) return;
  try {
    const o = client.options;
    let c: Breadcrumb | null = { timestamp: new Date().toISOString(), ...crumb };
    if (o.beforeBreadcrumb) c = o.beforeBreadcrumb(c);
    const list = current().breadcrumbs;
    if (c) list.push(c);
    const over = list.length - (o.maxBreadcrumbs ?? 100);
    if (over > 0) list.splice(0, over);
  } catch {
    // a failing beforeBreadcrumb stays in the SDK
  }
}

/**
 * What `withScope` hands its callback. While the callback runs, its scope is the current one, so these are
 * the global setters; keep using them only inside the callback.
 */
export interface Scope {
  setUser: typeof setUser;
  setTag: typeof setTag;
  setTags: typeof setTags;
  setContext: typeof setContext;
  setExtra: typeof setExtra;
  setLevel: typeof setLevel;
  setFingerprint: typeof setFingerprint;
  addBreadcrumb: typeof addBreadcrumb;
}

export const scopeApi: Scope = { setUser, setTag, setTags, setContext, setExtra, setLevel, setFingerprint, addBreadcrumb };

/** Runs `fn` with a copy of the current scope; changes to it apply only to what `fn` captures synchronously. */
export function withScope<T>(fn: (scope: Scope) => T): T {
  const scope = createScope(current());
  scopes.push(scope);
  try {
    return fn(scopeApi);
  } finally {
    const i = scopes.lastIndexOf(scope);
    if (i > 0) scopes.splice(i, 1);
  }
}

/** Sends everything queued; true when it all went out within `timeout` ms. */
export function flush(timeout?: number): Promise<boolean> {
  return client ? client.transport.flush(timeout) : Promise.resolve(true);
}

/** Flushes, then turns the SDK off and removes its handlers. */
export function close(timeout?: number): Promise<boolean> {
  const c = client;
  if (!c) return Promise.resolve(true);
  return c.transport.flush(timeout).then((ok) => {
    if (client === c) client = undefined;
    for (const off of c.teardown) {
      try {
        off();
      } catch {
        // keep closing
      }
    }
    return ok;
  });
}

/** Clears the global scope (tests and re-init). */
export function resetScope(): void {
  scopes.length = 0;
  scopes.push(createScope());
}
