import type { Migration } from './migration.js';

/**
 * User fields move from `issue_tags` to the user pairs (`issue_users`), which every batch claims
 * anyway to count an issue's users: `terms` keeps the pair's user fields as `id:…`, `email:…`,
 * `username:…`, `ip:…` (from the event that brought the user to the issue) under a GIN index for the
 * `user.*` search terms, and `times_seen` counts the pair's events for the tag summaries. As `issue_tags`
 * rows, nearly every event added up to four new rows of its own (a user new to an issue) where the pair
 * adds none; bench:ingest measures what indexing costs with each.
 *
 * The backfill: each pair's identity becomes its one term, and its count comes from the `issue_tags` row of
 * that identity (1 where there is none). Which other fields belonged to which user was not kept, so an
 * older user is found by the field that identified them (their id, when they had one), not by the others.
 */
export const userSearch: Migration = {
  name: '0010-user-search',
  async up(client) {
    await client.query(`
      ALTER TABLE issue_users ADD COLUMN times_seen bigint NOT NULL DEFAULT 1, ADD COLUMN terms text[];
      ALTER TABLE issue_users SET (fillfactor = 80);
      UPDATE issue_users u SET terms = ARRAY[u.user_key], times_seen = coalesce(t.times_seen, 1)
        FROM issue_users u2
        LEFT JOIN issue_tags t
          ON t.project_id = u2.project_id AND t.issue_id = u2.issue_id
         AND t.key = 'user.' || split_part(u2.user_key, ':', 1)
         AND t.value = substr(u2.user_key, length(split_part(u2.user_key, ':', 1)) + 2)
       WHERE (u2.project_id, u2.issue_id, u2.user_key) = (u.project_id, u.issue_id, u.user_key);
      DELETE FROM issue_tags WHERE key LIKE 'user.%';
      CREATE INDEX issue_users_terms_idx ON issue_users USING gin (terms) WITH (gin_pending_list_limit = 16384);
    `);
  },
};
