import type { Migration } from './migration.js';

/**
 * The events' search indexes (migration 0007) keep only events that have something to find. Since 0011
 * most events have neither `search_text` nor `fields` (their issue is found by the same text and frames),
 * yet GIN keeps an entry for every null too: a WAL record and an insert into each pending list per event
 * (the README has what that cost bench:ingest). The search conditions need no change: `to_tsvector(…, search_text) @@ q`
 * and `fields @> …` are strict, so PostgreSQL proves the predicate from them and uses the indexes.
 *
 * Rebuilds both indexes on every partition: on a large events table this migration takes a while, and
 * holds inserts into `events` until it is done.
 */
export const partialEventSearchIndexes: Migration = {
  name: '0012-partial-event-search-indexes',
  async up(client) {
    await client.query(`
      DROP INDEX events_search_idx;
      CREATE INDEX events_search_idx ON events USING gin (to_tsvector('simple', search_text))
        WITH (gin_pending_list_limit = 16384) WHERE search_text IS NOT NULL;
      DROP INDEX events_fields_idx;
      CREATE INDEX events_fields_idx ON events USING gin (fields jsonb_path_ops)
        WITH (gin_pending_list_limit = 16384) WHERE fields IS NOT NULL;
    `);
  },
};
