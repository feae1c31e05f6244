import type {
  AlertDelivery,
  AlertDeliveryPatch,
  AlertDeliveryQuery,
  AlertRule,
  AlertRulePatch,
  NewAlertDelivery,
  NewAlertRule,
  ProjectActivity,
  TimeRange,
} from '@faultline/core';
import type { PgClient } from './connection.js';
import { isIssueId, toIso } from './issue-row.js';

const RULE_COLUMNS = 'id, project_id, name, enabled, trigger, filters, actions, throttle_minutes, digest_minutes, created_at, updated_at';
const DELIVERY_COLUMNS = `id, rule_id, project_id, key, action, channel, issue_id, reason, status, attempts, error, receiver_id,
  digest_key, message, created_at, updated_at`;

interface RuleRow {
  id: string;
  project_id: number;
  name: string;
  enabled: boolean;
  trigger: AlertRule['trigger'];
  filters: AlertRule['filters'];
  actions: AlertRule['actions'];
  throttle_minutes: number;
  digest_minutes: number | null;
  created_at: Date;
  updated_at: Date;
}

interface DeliveryRow {
  id: string;
  rule_id: string;
  project_id: number;
  key: string;
  action: number;
  channel: string;
  issue_id: string | null;
  reason: string;
  status: AlertDelivery['status'];
  attempts: number;
  error: string | null;
  receiver_id: string | null;
  digest_key: string | null;
  message: unknown;
  created_at: Date;
  updated_at: Date;
}

function toRule(row: RuleRow): AlertRule {
  return {
    id: String(row.id),
    projectId: row.project_id,
    name: row.name,
    enabled: row.enabled,
    trigger: row.trigger,
    filters: row.filters,
    actions: row.actions,
    throttleMinutes: row.throttle_minutes,
    digestMinutes: row.digest_minutes,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

function toDelivery(row: DeliveryRow): AlertDelivery {
  return {
    id: String(row.id),
    ruleId: String(row.rule_id),
    projectId: row.project_id,
    key: row.key,
    action: row.action,
    channel: row.channel,
    issueId: row.issue_id === null ? null : String(row.issue_id),
    reason: row.reason,
    status: row.status,
    attempts: row.attempts,
    error: row.error,
    receiverId: row.receiver_id,
    digestKey: row.digest_key,
    message: row.message,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

export async function createAlertRule(client: PgClient, input: NewAlertRule): Promise<AlertRule> {
  const { rows } = await client.query<RuleRow>(
    `INSERT INTO alert_rules (project_id, name, enabled, trigger, filters, actions, throttle_minutes, digest_minutes)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${RULE_COLUMNS}`,
    [input.projectId, input.name, input.enabled, JSON.stringify(input.trigger), JSON.stringify(input.filters), JSON.stringify(input.actions), input.throttleMinutes, input.digestMinutes],
  );
  return toRule(rows[0]);
}

export async function listAlertRules(client: PgClient, filter: { projectId?: number; enabled?: boolean } = {}): Promise<AlertRule[]> {
  const { rows } = await client.query<RuleRow>(
    `SELECT ${RULE_COLUMNS} FROM alert_rules
      WHERE ($1::int IS NULL OR project_id = $1) AND ($2::boolean IS NULL OR enabled = $2) ORDER BY id`,
    [filter.projectId ?? null, filter.enabled ?? null],
  );
  return rows.map(toRule);
}

export async function getAlertRule(client: PgClient, id: string): Promise<AlertRule | null> {
  if (!isIssueId(id)) return null;
  const { rows } = await client.query<RuleRow>(`SELECT ${RULE_COLUMNS} FROM alert_rules WHERE id = $1`, [id]);
  return rows[0] ? toRule(rows[0]) : null;
}

const RULE_PATCH_COLUMNS: Record<keyof AlertRulePatch, string> = {
  name: 'name',
  enabled: 'enabled',
  trigger: 'trigger',
  filters: 'filters',
  actions: 'actions',
  throttleMinutes: 'throttle_minutes',
  digestMinutes: 'digest_minutes',
};

export async function updateAlertRule(client: PgClient, id: string, patch: AlertRulePatch): Promise<AlertRule | null> {
  if (!isIssueId(id)) return null;
  const sets: string[] = ['updated_at = now()'];
  const values: unknown[] = [id];
  for (const [field, column] of Object.entries(RULE_PATCH_COLUMNS) as [keyof AlertRulePatch, string][]) {
    if (patch[field] === undefined) continue;
    const value = patch[field];
    values.push(typeof value === 'object' && value !== null ? JSON.stringify(value) : value);
    sets.push(`${column} = $${values.length}`);
  }
  const { rows } = await client.query<RuleRow>(`UPDATE alert_rules SET ${sets.join(', ')} WHERE id = $1 RETURNING ${RULE_COLUMNS}`, values);
  return rows[0] ? toRule(rows[0]) : null;
}

export async function deleteAlertRule(client: PgClient, id: string): Promise<boolean> {
  if (!isIssueId(id)) return false;
  const { rowCount } = await client.query('DELETE FROM alert_rules WHERE id = $1', [id]);
  return rowCount === 1;
}

export async function createAlertDelivery(client: PgClient, input: NewAlertDelivery): Promise<AlertDelivery | null> {
  const { rows } = await client.query<DeliveryRow>(
    `INSERT INTO alert_deliveries (rule_id, project_id, key, action, channel, issue_id, reason, status, digest_key, message)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (rule_id, key) DO NOTHING RETURNING ${DELIVERY_COLUMNS}`,
    [input.ruleId, input.projectId, input.key, input.action, input.channel, input.issueId, input.reason, input.status, input.digestKey, JSON.stringify(input.message)],
  );
  return rows[0] ? toDelivery(rows[0]) : null;
}

export async function updateAlertDelivery(client: PgClient, id: string, patch: AlertDeliveryPatch): Promise<AlertDelivery | null> {
  if (!isIssueId(id)) return null;
  const { rows } = await client.query<DeliveryRow>(
    `UPDATE alert_deliveries SET status = coalesce($2, status), attempts = coalesce($3, attempts),
       error = CASE WHEN $4::boolean THEN $5 ELSE error END, receiver_id = coalesce($6, receiver_id), updated_at = now()
     WHERE id = $1 RETURNING ${DELIVERY_COLUMNS}`,
    [id, patch.status ?? null, patch.attempts ?? null, patch.error !== undefined, patch.error ?? null, patch.receiverId ?? null],
  );
  return rows[0] ? toDelivery(rows[0]) : null;
}

export async function getAlertDelivery(client: PgClient, id: string): Promise<AlertDelivery | null> {
  if (!isIssueId(id)) return null;
  const { rows } = await client.query<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM alert_deliveries WHERE id = $1`, [id]);
  return rows[0] ? toDelivery(rows[0]) : null;
}

export async function listAlertDeliveries(client: PgClient, ruleId: string, query: AlertDeliveryQuery = {}): Promise<AlertDelivery[]> {
  if (!isIssueId(ruleId) || (query.before !== undefined && !isIssueId(query.before))) return [];
  const { rows } = await client.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM alert_deliveries
      WHERE rule_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR digest_key = $3)
        AND ($4::bigint IS NULL OR id < $4)
      ORDER BY id DESC LIMIT $5`,
    [ruleId, query.status ?? null, query.digestKey ?? null, query.before ?? null, Math.max(1, Math.min(query.limit ?? 50, 1000))],
  );
  return rows.map(toDelivery);
}

export async function takeDigest(client: PgClient, ruleId: string, digestKey: string): Promise<AlertDelivery[]> {
  if (!isIssueId(ruleId)) return [];
  const { rows } = await client.query<DeliveryRow>(
    `UPDATE alert_deliveries SET status = 'digested', updated_at = now()
      WHERE rule_id = $1 AND digest_key = $2 AND status = 'digest' RETURNING ${DELIVERY_COLUMNS}`,
    [ruleId, digestKey],
  );
  return rows.map(toDelivery).sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
}

export async function claimAlertWindow(client: PgClient, ruleId: string, key: string, now: Date, until: Date): Promise<boolean> {
  const { rowCount } = await client.query(
    `INSERT INTO alert_rule_state (rule_id, key, until) VALUES ($1, $2, $4)
     ON CONFLICT (rule_id, key) DO UPDATE SET until = EXCLUDED.until
       WHERE alert_rule_state.until IS NULL OR alert_rule_state.until <= $3`,
    [ruleId, key, now, until],
  );
  return rowCount === 1;
}

export async function setAlertLatch(client: PgClient, ruleId: string, key: string, on: boolean): Promise<boolean> {
  // The latch starts off: turning off a latch with no row changes nothing.
  const { rowCount } = on
    ? await client.query(
        `INSERT INTO alert_rule_state (rule_id, key, latched) VALUES ($1, $2, true)
         ON CONFLICT (rule_id, key) DO UPDATE SET latched = true WHERE NOT alert_rule_state.latched`,
        [ruleId, key],
      )
    : await client.query('UPDATE alert_rule_state SET latched = false WHERE rule_id = $1 AND key = $2 AND latched', [ruleId, key]);
  return rowCount === 1;
}

/**
 * Bounded by `limit`, and index-driven either way: one issue's events by events_issue_idx; a project's
 * through the issues seen since then (issues_last_seen_idx; last_seen is a receive time) and each one's
 * recent events, so a busy day's partition is never scanned to find the last minutes.
 */
export async function countEvents(client: PgClient, projectId: number, query: { since: Date; issueId?: string; limit: number }): Promise<number> {
  const limit = Math.max(1, query.limit);
  if (query.issueId !== undefined) {
    if (!isIssueId(query.issueId)) return 0;
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM (
         SELECT 1 FROM events WHERE project_id = $1 AND issue_id = $2 AND received_at >= $3 LIMIT $4
       ) AS recent`,
      [projectId, query.issueId, query.since, limit],
    );
    return Number(rows[0].n);
  }
  const { rows } = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM (
       SELECT 1 FROM issues i
       CROSS JOIN LATERAL (
         SELECT 1 FROM events e WHERE e.project_id = i.project_id AND e.issue_id = i.id AND e.received_at >= $2 LIMIT $3
       ) AS e
       WHERE i.project_id = $1 AND i.last_seen >= $2
       LIMIT $3
     ) AS recent`,
    [projectId, query.since, limit],
  );
  return Number(rows[0].n);
}

/** From the hourly stats (not the events, which an archive may have dropped), so hours are the grain. */
export async function projectActivity(client: PgClient, projectId: number, range: TimeRange, top: number): Promise<ProjectActivity> {
  // One after another: a pg client runs one query at a time.
  const totals = await client.query<{ n: string | null }>(
    'SELECT sum(count) AS n FROM issue_stats_hourly WHERE project_id = $1 AND bucket >= $2 AND bucket < $3',
    [projectId, range.from, range.to],
  );
  const busiest = await client.query<{ issue_id: string; n: string }>(
    `SELECT issue_id, sum(count) AS n FROM issue_stats_hourly WHERE project_id = $1 AND bucket >= $2 AND bucket < $3
      GROUP BY issue_id ORDER BY n DESC, issue_id LIMIT $4`,
    [projectId, range.from, range.to, Math.max(0, top)],
  );
  const fresh = await client.query<{ n: string }>(
    'SELECT count(*) AS n FROM issues WHERE project_id = $1 AND first_seen >= $2 AND first_seen < $3',
    [projectId, range.from, range.to],
  );
  return {
    events: Number(totals.rows[0]?.n ?? 0),
    newIssues: Number(fresh.rows[0].n),
    topIssues: busiest.rows.map((r) => ({ issueId: String(r.issue_id), events: Number(r.n) })),
  };
}
