import type { ProjectScrubbing, ScrubbingRules } from '@faultline/core';
import type { PgClient } from './connection.js';
import { toIso } from './issue-row.js';

interface ScrubbingRow {
  rules: ScrubbingRules;
  version: number;
  updated_at: Date;
}

export async function getScrubbing(client: PgClient, projectId: number): Promise<ProjectScrubbing | null> {
  const { rows } = await client.query<ScrubbingRow>('SELECT rules, version, updated_at FROM project_scrubbing WHERE project_id = $1', [projectId]);
  return rows[0] ? toScrubbing(rows[0]) : null;
}

/** One statement, so two concurrent changes get two versions. */
export async function setScrubbing(client: PgClient, projectId: number, rules: ScrubbingRules): Promise<ProjectScrubbing> {
  const { rows } = await client.query<ScrubbingRow>(
    `INSERT INTO project_scrubbing (project_id, rules, version) VALUES ($1, $2, 1)
     ON CONFLICT (project_id) DO UPDATE SET rules = EXCLUDED.rules, version = project_scrubbing.version + 1, updated_at = now()
     RETURNING rules, version, updated_at`,
    [projectId, JSON.stringify(rules)],
  );
  return toScrubbing(rows[0]);
}

function toScrubbing(row: ScrubbingRow): ProjectScrubbing {
  const { keys = [], patterns = [], emails = false, ipAddresses = false } = row.rules;
  return { keys, patterns, emails, ipAddresses, version: row.version, updatedAt: toIso(row.updated_at) };
}
