import pg from 'pg';

/**
 * `--no-search-index` (BENCH_NO_SEARCH_INDEX=1) in bench:ingest and bench:sentry: the storage writes no
 * search columns, no issue tags and no user terms (its `searchIndex: false`), and the search indexes are dropped, so
 * the run pays for none of them; compare with a run without it to see what search indexing costs.
 */
export const searchIndexOn = () => process.env.BENCH_NO_SEARCH_INDEX !== '1';

export async function dropSearchIndexes(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('DROP INDEX events_search_idx, events_fields_idx, issue_tags_lookup_idx, issue_users_terms_idx');
  } finally {
    await client.end();
  }
}
