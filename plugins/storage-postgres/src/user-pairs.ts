import { compareBigint, compareText } from './batch-groups.js';

/** A user's fields as search keeps them (`EventSearchFields.tags`), by the key of `issue_users.terms`. */
export const USER_FIELDS = { 'user.id': 'id', 'user.email': 'email', 'user.username': 'username', 'user.ip': 'ip' } as const;
export type UserField = keyof typeof USER_FIELDS;

/** One row of `issue_users` (migrations 0001 and 0010): a user of an issue, with their batch's events. */
export interface UserPairRow {
  projectId: number;
  issueId: string;
  /** The user's identity (`id:42`, else `email:…`, …): what the issue's user count counts. */
  userKey: string;
  count: number;
  /** The user's search fields, from the first event of the pair; null when the batch indexes nothing. */
  fields: Partial<Record<UserField, string>> | null;
}

/** A batch's distinct (issue, user) pairs, counted as the batch's events come. */
export class UserPairs {
  private readonly pairs = new Map<string, UserPairRow>();

  add(projectId: number, issueId: string, userKey: string, tags: Record<string, string> | null): void {
    const key = `${issueId}\u0000${userKey}`;
    const pair = this.pairs.get(key);
    if (pair !== undefined) pair.count++;
    else this.pairs.set(key, { projectId, issueId, userKey, count: 1, fields: tags === null ? null : userFields(tags) });
  }

  /** In key order, the order every batch claims (and so locks) them in. */
  rows(): UserPairRow[] {
    return [...this.pairs.values()].sort((a, b) => a.projectId - b.projectId || compareBigint(a.issueId, b.issueId) || compareText(a.userKey, b.userKey));
  }
}

function userFields(tags: Record<string, string>): Partial<Record<UserField, string>> {
  const fields: Partial<Record<UserField, string>> = {};
  for (const field in USER_FIELDS) {
    const value = tags[field];
    if (value !== undefined) fields[field as UserField] = value;
  }
  return fields;
}

export function isUserField(key: string): key is UserField {
  return Object.hasOwn(USER_FIELDS, key);
}
