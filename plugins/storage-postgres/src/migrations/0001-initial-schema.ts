import type pg from 'pg';
import type { Migration } from './migration.js';

/**
 * Projects, keys, tokens, issues, events (partitioned by received_at), idempotency, users and stats.
 * `project_id` leads every index except the primary keys of issues and the admin tables, which are looked
 * up by id alone.
 */
export const initialSchema: Migration = {
  name: '0001-initial-schema',
  async up(client) {
    const compression = await payloadCompression(client);
    await client.query(`
      CREATE TABLE projects (
        id serial PRIMARY KEY,
        slug text NOT NULL UNIQUE,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE public_keys (
        id serial PRIMARY KEY,
        project_id int NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        key_hash text NOT NULL UNIQUE,
        prefix text NOT NULL,
        label text NOT NULL DEFAULT '',
        allowed_origins text[] NOT NULL DEFAULT '{}',
        rate_limit_per_minute int,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );
      CREATE INDEX public_keys_project_idx ON public_keys (project_id, id);

      CREATE TABLE tokens (
        id serial PRIMARY KEY,
        token_hash text NOT NULL UNIQUE,
        prefix text NOT NULL,
        label text NOT NULL DEFAULT '',
        role text NOT NULL CHECK (role IN ('viewer', 'member', 'admin')),
        project_ids int[],
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );

      CREATE TABLE issues (
        id bigserial PRIMARY KEY,
        project_id int NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        fingerprint text NOT NULL,
        grouping_version text NOT NULL,
        title text NOT NULL,
        culprit text NOT NULL,
        type text NOT NULL,
        value text NOT NULL,
        level text NOT NULL,
        status text NOT NULL DEFAULT 'unresolved' CHECK (status IN ('unresolved', 'resolved', 'ignored')),
        count bigint NOT NULL DEFAULT 0,
        user_count int NOT NULL DEFAULT 0,
        first_seen timestamptz NOT NULL,
        last_seen timestamptz NOT NULL,
        release text,
        environment text,
        platform text NOT NULL,
        resolved_at timestamptz,
        search tsvector GENERATED ALWAYS AS (
          to_tsvector('simple', title || ' ' || value || ' ' || culprit)
        ) STORED,
        CONSTRAINT issues_project_fingerprint_key UNIQUE (project_id, fingerprint)
      );
      CREATE INDEX issues_last_seen_idx ON issues (project_id, last_seen DESC, id DESC);
      CREATE INDEX issues_first_seen_idx ON issues (project_id, first_seen DESC, id DESC);
      CREATE INDEX issues_count_idx ON issues (project_id, count DESC, id DESC);
      CREATE INDEX issues_search_idx ON issues USING gin (search);

      CREATE TABLE events (
        project_id int NOT NULL,
        event_id uuid NOT NULL,
        issue_id bigint NOT NULL,
        received_at timestamptz NOT NULL,
        "timestamp" timestamptz,
        level text NOT NULL,
        release text,
        environment text,
        payload text COMPRESSION ${compression} NOT NULL
      ) PARTITION BY RANGE (received_at);
      CREATE INDEX events_issue_idx ON events (project_id, issue_id, received_at DESC, event_id);
      CREATE INDEX events_event_id_idx ON events (project_id, event_id);
      CREATE TABLE events_default PARTITION OF events DEFAULT;

      CREATE TABLE event_ids (
        project_id int NOT NULL,
        event_id uuid NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (project_id, event_id)
      );

      CREATE TABLE issue_users (
        project_id int NOT NULL,
        issue_id bigint NOT NULL,
        user_key text NOT NULL,
        PRIMARY KEY (project_id, issue_id, user_key)
      );

      CREATE TABLE issue_stats_hourly (
        project_id int NOT NULL,
        issue_id bigint NOT NULL,
        bucket timestamptz NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (project_id, bucket, issue_id)
      );
      CREATE INDEX issue_stats_hourly_issue_idx ON issue_stats_hourly (project_id, issue_id, bucket);
    `);
  },
};

/** lz4 when this server was built with it (PostgreSQL 14+ with --with-lz4), else the built-in pglz. */
async function payloadCompression(client: pg.ClientBase): Promise<'lz4' | 'pglz'> {
  const { rows } = await client.query<{ lz4: boolean }>(
    `SELECT coalesce(bool_or('lz4' = ANY (enumvals)), false) AS lz4
       FROM pg_settings WHERE name = 'default_toast_compression'`,
  );
  return rows[0]?.lz4 ? 'lz4' : 'pglz';
}
