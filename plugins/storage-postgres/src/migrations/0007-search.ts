import type { Migration } from './migration.js';

/**
 * What the search language needs of events (issues already have their `search` tsvector): the event's
 * free text (message, exception types and values) under a GIN index on its tsvector, and `fields`, a
 * jsonb of tags with the user's fields as `user.*` keys (`t`) and the stack's file names (`f`) and
 * functions (`fn`) under one GIN index (jsonb_path_ops: containment, `fields @> '{"t":{"k":"v"}}'`).
 *
 * Both GIN indexes take new entries into a 16 MB pending list (4 MB by default) merged in bulk: 50k
 * events' entries cost PostgreSQL about half the CPU of the default's more frequent merges (the list is
 * read by searches until merged, by autovacuum or by the insert that fills it).
 *
 * An expression index rather than a stored tsvector column: the text is kept once, and a partition made
 * with `LIKE events` needs nothing special. Events stored before this migration have neither column
 * filled: they are found by the issue's own fields and title only.
 */
export const search: Migration = {
  name: '0007-search',
  async up(client) {
    await client.query(`
      ALTER TABLE events ADD COLUMN search_text text, ADD COLUMN fields jsonb;
      CREATE INDEX events_search_idx ON events USING gin (to_tsvector('simple', search_text))
        WITH (gin_pending_list_limit = 16384);
      CREATE INDEX events_fields_idx ON events USING gin (fields jsonb_path_ops) WITH (gin_pending_list_limit = 16384);
    `);
  },
};
