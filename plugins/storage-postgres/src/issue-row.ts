import type { Issue, IssueStatus, Level } from '@faultline/core';

/** The columns of `issues` every query returns (everything but the tsvector). */
export const ISSUE_COLUMNS = `id, project_id, fingerprint, grouping_version, title, culprit, type, value, level, status,
  count, user_count, first_seen, last_seen, release, environment, platform`;

export interface IssueRow {
  id: string;
  project_id: number;
  fingerprint: string;
  grouping_version: string;
  title: string;
  culprit: string;
  type: string;
  value: string;
  level: string;
  status: string;
  count: string | number;
  user_count: number;
  first_seen: Date | string;
  last_seen: Date | string;
  release: string | null;
  environment: string | null;
  platform: string;
}

export function toIso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function toIssue(row: IssueRow): Issue {
  return {
    id: String(row.id),
    projectId: Number(row.project_id),
    title: row.title,
    culprit: row.culprit,
    type: row.type,
    value: row.value,
    level: row.level as Level,
    status: row.status as IssueStatus,
    count: Number(row.count),
    userCount: Number(row.user_count),
    firstSeen: toIso(row.first_seen),
    lastSeen: toIso(row.last_seen),
    release: row.release,
    environment: row.environment,
    platform: row.platform,
    fingerprint: row.fingerprint,
    groupingVersion: row.grouping_version,
  };
}

/** Event ids are stored as uuid and shown as 32 lowercase hex digits. */
export function normalizeEventId(id: string): string | null {
  const hex = id.replaceAll('-', '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex) ? hex : null;
}

/** Issue ids are bigint; anything else cannot name an issue. */
export function isIssueId(id: string): boolean {
  return /^[1-9][0-9]{0,18}$/.test(id) && BigInt(id) <= 9_223_372_036_854_775_807n;
}
