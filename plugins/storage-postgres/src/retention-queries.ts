import { DEFAULT_RETENTION, type EventRef, type RetentionPolicy } from '@faultline/core';
import type { PgClient } from './connection.js';
import { normalizeEventId, toIso } from './issue-row.js';

/** Retention policies per project, and the de-duplication table read and pruned by age. */

interface PolicyRow {
  hot_days: number;
  archive: boolean;
  delete_after_days: number;
  max_events: string | null;
}

export async function getRetention(client: PgClient, projectId: number): Promise<RetentionPolicy> {
  const { rows } = await client.query<PolicyRow>(
    'SELECT hot_days, archive, delete_after_days, max_events FROM project_retention WHERE project_id = $1',
    [projectId],
  );
  return rows[0] ? toPolicy(rows[0]) : { ...DEFAULT_RETENTION };
}

export async function setRetention(client: PgClient, projectId: number, policy: RetentionPolicy): Promise<RetentionPolicy> {
  const { rows } = await client.query<PolicyRow>(
    `INSERT INTO project_retention (project_id, hot_days, archive, delete_after_days, max_events)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (project_id) DO UPDATE SET hot_days = excluded.hot_days, archive = excluded.archive,
       delete_after_days = excluded.delete_after_days, max_events = excluded.max_events, updated_at = now()
     RETURNING hot_days, archive, delete_after_days, max_events`,
    [projectId, policy.hotDays, policy.archive, policy.deleteAfterDays, policy.maxEvents],
  );
  return toPolicy(rows[0]);
}

function toPolicy(row: PolicyRow): RetentionPolicy {
  return {
    hotDays: row.hot_days,
    archive: row.archive,
    deleteAfterDays: row.delete_after_days,
    maxEvents: row.max_events === null ? null : Number(row.max_events),
  };
}

export async function findEventRef(client: PgClient, eventId: string, projectIds: number[] | null): Promise<EventRef | null> {
  const id = normalizeEventId(eventId);
  if (id === null || (projectIds !== null && projectIds.length === 0)) return null;
  const { rows } = await client.query<{ project_id: number; received_at: Date }>(
    `SELECT project_id, received_at FROM event_ids
      WHERE event_id = $1 AND project_id = ANY (coalesce($2::int[], ARRAY(SELECT id FROM projects)))
      LIMIT 1`,
    [id, projectIds],
  );
  return rows[0] ? { projectId: Number(rows[0].project_id), eventId: id, receivedAt: toIso(rows[0].received_at) } : null;
}

/** One set-based DELETE on the (project_id, received_at) index. */
export async function pruneEventIds(client: PgClient, projectId: number, before: Date): Promise<number> {
  const { rowCount } = await client.query('DELETE FROM event_ids WHERE project_id = $1 AND received_at < $2', [projectId, before.toISOString()]);
  return rowCount ?? 0;
}
