import type { MatchField, NumberField, TimeField } from '../providers/search-ast.js';

export type KeyKind =
  | { kind: 'match'; field: Exclude<MatchField, 'tag'> }
  | { kind: 'number'; field: NumberField }
  | { kind: 'time'; field: TimeField };

/**
 * Every key the language knows, with Sentry's spellings as aliases where they differ. A key not here is
 * a tag (`browser:Chrome` is `tags[browser]:Chrome`).
 */
export const SEARCH_KEYS: Readonly<Record<string, KeyKind>> = {
  is: { kind: 'match', field: 'status' },
  status: { kind: 'match', field: 'status' },
  level: { kind: 'match', field: 'level' },
  release: { kind: 'match', field: 'release' },
  environment: { kind: 'match', field: 'environment' },
  env: { kind: 'match', field: 'environment' },
  'user.id': { kind: 'match', field: 'user.id' },
  'user.email': { kind: 'match', field: 'user.email' },
  'user.username': { kind: 'match', field: 'user.username' },
  'user.ip': { kind: 'match', field: 'user.ip' },
  'user.ip_address': { kind: 'match', field: 'user.ip' },
  message: { kind: 'match', field: 'message' },
  title: { kind: 'match', field: 'message' },
  'error.type': { kind: 'match', field: 'error.type' },
  'error.value': { kind: 'match', field: 'error.value' },
  'stack.filename': { kind: 'match', field: 'stack.filename' },
  'stack.abs_path': { kind: 'match', field: 'stack.filename' },
  'stack.function': { kind: 'match', field: 'stack.function' },
  times_seen: { kind: 'number', field: 'times_seen' },
  timesSeen: { kind: 'number', field: 'times_seen' },
  count: { kind: 'number', field: 'times_seen' },
  user_count: { kind: 'number', field: 'user_count' },
  users: { kind: 'number', field: 'user_count' },
  first_seen: { kind: 'time', field: 'first_seen' },
  firstSeen: { kind: 'time', field: 'first_seen' },
  age: { kind: 'time', field: 'first_seen' },
  last_seen: { kind: 'time', field: 'last_seen' },
  lastSeen: { kind: 'time', field: 'last_seen' },
};

/** `is:` values, with Sentry's `archived` for ignored. */
export const STATUS_ALIASES: Readonly<Record<string, string>> = {
  unresolved: 'unresolved',
  resolved: 'resolved',
  ignored: 'ignored',
  archived: 'ignored',
};
