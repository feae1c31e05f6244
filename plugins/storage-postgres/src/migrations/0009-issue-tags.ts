import type { Migration } from './migration.js';

/**
 * Tags per issue, as Sentry's tag store keeps them: one row per (issue, key, value) with how many of the
 * issue's events had it and when, the user's fields as `user.*` keys and each event's level, release and
 * environment among them. Each storage batch upserts its events' pairs, counted in memory first, in its
 * own transaction (batch-statements.ts). Tag and user search terms look here instead of in every event's
 * `fields` (migration 0007), which kept each event's tags under a GIN index: half of what search
 * indexing cost PostgreSQL at ingest. Tag summaries read an issue's rows: exact, however many events.
 *
 * `key` and `value` sort bytewise ("C"), so `value LIKE 'abc%'` is a range of the lookup index. The
 * lookup index carries issue_id, so finding the issues with a tag reads the index alone. A fill factor
 * under 100 leaves room in each page for the count updates to stay heap-only (no index entries).
 *
 * The backfill counts the tags of events stored since 0007 (their `fields`), and level, release and
 * environment of every event.
 */
export const issueTags: Migration = {
  name: '0009-issue-tags',
  async up(client) {
    await client.query(`
      CREATE TABLE issue_tags (
        project_id int NOT NULL,
        issue_id bigint NOT NULL,
        key text COLLATE "C" NOT NULL,
        value text COLLATE "C" NOT NULL,
        times_seen bigint NOT NULL,
        first_seen timestamptz NOT NULL,
        last_seen timestamptz NOT NULL,
        PRIMARY KEY (project_id, issue_id, key, value)
      ) WITH (fillfactor = 80);
      INSERT INTO issue_tags (project_id, issue_id, key, value, times_seen, first_seen, last_seen)
      SELECT e.project_id, e.issue_id, kv.key, kv.value, count(*), min(e.received_at), max(e.received_at)
        FROM events e
        CROSS JOIN LATERAL jsonb_each_text(
          coalesce(e.fields -> 't', '{}'::jsonb)
          || jsonb_strip_nulls(jsonb_build_object('level', e.level, 'release', e.release, 'environment', e.environment))
        ) AS kv
       GROUP BY 1, 2, 3, 4;
      CREATE INDEX issue_tags_lookup_idx ON issue_tags (project_id, key, value, issue_id);
    `);
  },
};
