import pg from 'pg';

/**
 * Diagnostics for the slow kinds (`--explain`): EXPLAIN (ANALYZE, BUFFERS) of SQL shaped like the
 * storage plugin's, run straight on the seeded database. Copies of its queries, for evidence only.
 */
export async function explainSlowQueries(databaseUrl: string, projectId: number): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const plans: Record<string, string> = {};
  const explain = async (name: string, sql: string, params: unknown[]) => {
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params);
    plans[name] = rows.map((r) => r['QUERY PLAN']).join('\n');
  };
  try {
    const now = new Date();
    await explain(
      'stats_7d_hourly',
      `SELECT date_trunc('hour', bucket AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS t, sum(count) AS count
         FROM issue_stats_hourly
        WHERE project_id = $1 AND ($2::bigint IS NULL OR issue_id = $2::bigint)
          AND bucket >= $3::timestamptz AND bucket < $4::timestamptz
        GROUP BY 1`,
      [projectId, null, new Date(now.getTime() - 7 * 86400_000), now],
    );
    await explain(
      'issues_level_env_filter',
      `SELECT id FROM issues WHERE project_id = $1 AND status = 'unresolved' AND level = 'fatal' AND environment = 'staging'
        ORDER BY last_seen DESC, id DESC LIMIT 26`,
      [projectId],
    );
    await explain(
      'issues_filter_matching_nothing',
      `SELECT id FROM issues WHERE project_id = $1 AND release = 'app@9.9.9' ORDER BY last_seen DESC, id DESC LIMIT 26`,
      [projectId],
    );
    // A negated tag: the first issues walked one by one (search-queries.ts' WALK_ISSUES), and the hashed
    // set that would answer past them.
    await explain(
      'search_negated_tag_walk',
      `SELECT * FROM (SELECT id, last_seen, last_seen::text AS sort_key,
                             (NOT EXISTS (SELECT t.issue_id FROM issue_tags t WHERE t.project_id = issues.project_id
                                AND t.issue_id = issues.id AND t.key = $2 AND t.value = ANY ($3::text[]) OFFSET 0)) AS walk_match,
                             row_number() OVER (ORDER BY last_seen DESC, id DESC) AS walk_n
                        FROM issues WHERE project_id = $1 ORDER BY last_seen DESC, id DESC LIMIT 2000) AS issues
        WHERE walk_match OR walk_n = 2000 ORDER BY last_seen DESC, id DESC LIMIT 26`,
      [projectId, 'browser', ['Chrome']],
    );
    await explain(
      'search_negated_tag_hashed',
      `SELECT id FROM issues WHERE project_id = $1
          AND issues.id NOT IN (SELECT t.issue_id FROM issue_tags t WHERE t.project_id = $1 AND t.key = $2 AND t.value = ANY ($3::text[]))
        ORDER BY last_seen DESC, id DESC LIMIT 26`,
      [projectId, 'browser', ['Chrome']],
    );
    // Free text common in events (`upstream timeout`): the probe through the GIN index, then the page per issue.
    await explain(
      'search_text_event_common_probe',
      `SELECT count(*)::int AS n FROM (SELECT e.issue_id FROM events e WHERE e.project_id = $1
          AND to_tsvector('simple', e.search_text) @@ plainto_tsquery('simple', $2) LIMIT 1000) AS m`,
      [projectId, 'upstream timeout'],
    );
    await explain(
      'search_text_event_common_page',
      `SELECT id FROM issues WHERE project_id = $1
          AND (issues.search @@ plainto_tsquery('simple', $2) OR EXISTS (SELECT e.issue_id FROM events e
                WHERE e.project_id = issues.project_id AND e.issue_id = issues.id
                  AND to_tsvector('simple', coalesce(e.search_text, '')) @@ plainto_tsquery('simple', $2) OFFSET 0))
        ORDER BY last_seen DESC, id DESC LIMIT 26`,
      [projectId, 'upstream timeout'],
    );
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM issue_stats_hourly WHERE project_id = $1', [projectId]);
    plans.issue_stats_hourly_rows = rows[0].n;
  } finally {
    await client.end();
  }
  return plans;
}
