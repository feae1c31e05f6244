import type { AuditEntry, AuditQuery, NewAuditEntry, Page } from '@faultline/core';
import type { PgClient } from './connection.js';
import { decodeCursor, keysetPage } from './cursor.js';
import { pageSize } from './issue-queries.js';
import { toIso } from './issue-row.js';

interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  action: string;
  project_id: number | null;
  target: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export async function recordAudit(client: PgClient, entry: NewAuditEntry): Promise<void> {
  await client.query(
    'INSERT INTO audit_log (actor, action, project_id, target, ip, details) VALUES ($1, $2, $3, $4, $5, $6)',
    [entry.actor, entry.action, entry.projectId, entry.target, entry.ip, JSON.stringify(entry.details)],
  );
}

/** Newest first, keyset on id; a project-scoped reader sees only its projects' entries. */
export async function listAudit(client: PgClient, query: AuditQuery): Promise<Page<AuditEntry>> {
  const limit = pageSize(query.limit);
  const params: unknown[] = [];
  const where: string[] = [];
  if (query.projectIds !== null) {
    params.push(query.projectIds);
    where.push(`project_id = ANY($${params.length}::int[])`);
  }
  if (query.cursor) {
    const { id } = decodeCursor(query.cursor, 'audit');
    if (!/^[1-9][0-9]{0,18}$/.test(id)) return { data: [], nextCursor: null };
    params.push(id);
    where.push(`id < $${params.length}::bigint`);
  }
  params.push(limit + 1);
  const { rows } = await client.query<AuditRow>(
    `SELECT id::text AS id, at, actor, action, project_id, target, ip, details FROM audit_log
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return keysetPage(rows, limit, toEntry, (last) => ({ kind: 'audit', value: '', id: last.id }));
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: toIso(row.at),
    actor: row.actor,
    action: row.action,
    projectId: row.project_id === null ? null : Number(row.project_id),
    target: row.target,
    ip: row.ip,
    details: row.details,
  };
}
