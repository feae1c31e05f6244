import type { Migration } from './migration.js';

/**
 * Per-project retention policies (a project without a row has the defaults), and an index so the
 * de-duplication table can be pruned by age one project at a time.
 *
 * Numbered 0006: 0004 and 0005 are taken by other branches (audit log, alert rules).
 */
export const retention: Migration = {
  name: '0006-retention',
  async up(client) {
    await client.query(`
      CREATE TABLE project_retention (
        project_id int PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        hot_days int NOT NULL CHECK (hot_days >= 1),
        archive boolean NOT NULL,
        delete_after_days int NOT NULL CHECK (delete_after_days >= hot_days),
        max_events bigint CHECK (max_events >= 1),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX event_ids_received_idx ON event_ids (project_id, received_at);
    `);
  },
};
