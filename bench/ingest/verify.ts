import pg from 'pg';

export interface StoredCounts {
  events: number;
  eventIds: number;
  issues: number;
  issueCountSum: number;
  hourlyCountSum: number;
}

/** What the database holds after the run: every event stored once, and counted into its issue. */
export async function storedCounts(databaseUrl: string, projectId: number): Promise<StoredCounts> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Record<keyof StoredCounts, string>>(
      `SELECT (SELECT count(*) FROM events WHERE project_id = $1) AS "events",
              (SELECT count(*) FROM event_ids WHERE project_id = $1) AS "eventIds",
              (SELECT count(*) FROM issues WHERE project_id = $1) AS "issues",
              (SELECT coalesce(sum(count), 0) FROM issues WHERE project_id = $1) AS "issueCountSum",
              (SELECT coalesce(sum(count), 0) FROM issue_stats_hourly WHERE project_id = $1) AS "hourlyCountSum"`,
      [projectId],
    );
    const r = rows[0];
    return {
      events: Number(r.events),
      eventIds: Number(r.eventIds),
      issues: Number(r.issues),
      issueCountSum: Number(r.issueCountSum),
      hourlyCountSum: Number(r.hourlyCountSum),
    };
  } finally {
    await client.end();
  }
}
