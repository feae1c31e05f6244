import pg from 'pg';

export interface Stored {
  /** Rows in `events` for the project. */
  events: number;
  /** Distinct event ids among them (equal to `events` unless something was stored twice). */
  distinctEvents: number;
  /** Each issue's `count`, by the exception type of its events. */
  issueCounts: Record<string, number>;
}

/** What the database holds for a project, read with SQL, not through Faultline. */
export async function readStored(databaseUrl: string, projectId: number): Promise<Stored> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const events = await client.query('SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM events WHERE project_id = $1', [projectId]);
    const issues = await client.query('SELECT type, count::int AS count FROM issues WHERE project_id = $1', [projectId]);
    return {
      events: events.rows[0].n,
      distinctEvents: events.rows[0].d,
      issueCounts: Object.fromEntries(issues.rows.map((r) => [r.type, r.count])),
    };
  } finally {
    await client.end();
  }
}

export async function sql(databaseUrl: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}
