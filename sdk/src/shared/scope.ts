import { normalize } from './normalize.js';
import type { Breadcrumb, FaultlineEvent, Level, User } from './types.js';

/** What a scope adds to every event captured while it is current. Plain data: the setters live in api.ts. */
export interface ScopeData {
  user?: User;
  tags: Record<string, string>;
  contexts: Record<string, Record<string, unknown>>;
  extra: Record<string, unknown>;
  breadcrumbs: Breadcrumb[];
  level?: Level;
  fingerprint?: string[];
}

/**
 * A new scope, a deep copy of `parent` when given (later changes to either do not leak into the other).
 * A normalized copy: what a scope holds is sent as JSON anyway, and BigInt or cycles must not throw.
 */
export function createScope(parent?: ScopeData): ScopeData {
  // a scope JSON cannot copy (a throwing getter) starts empty rather than fail the caller
  return (parent && (normalize(parent) as ScopeData)) || { tags: {}, contexts: {}, extra: {}, breadcrumbs: [] };
}

/** Merges the scope into the event; what the event already has wins. */
export function applyScope(event: FaultlineEvent, scope: ScopeData): void {
  if (scope.user) event.user = { ...scope.user, ...event.user };
  event.tags = { ...scope.tags, ...event.tags };
  event.contexts = { ...scope.contexts, ...event.contexts };
  event.extra = { ...scope.extra, ...event.extra };
  if (scope.breadcrumbs.length) event.breadcrumbs = scope.breadcrumbs.slice();
  if (scope.level) event.level = scope.level;
  if (scope.fingerprint && !event.fingerprint) event.fingerprint = scope.fingerprint;
}
