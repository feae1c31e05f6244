import type { Migration } from './migration.js';

/**
 * An issue's frames (migration 0011) move to a table of their own, written once when the issue is created.
 * In the `issues` row they were rewritten, WAL and all, by every batch that counted an event of the issue,
 * and since those updates change indexed columns (last_seen, count) they are never HOT: each one added
 * the frames' entries to their GIN index again. The README has what that cost bench:ingest.
 */
export const issueFramesTable: Migration = {
  name: '0013-issue-frames-table',
  async up(client) {
    await client.query(`
      CREATE TABLE issue_frames (
        issue_id bigint PRIMARY KEY,
        project_id int NOT NULL,
        frames jsonb NOT NULL
      );
      INSERT INTO issue_frames (issue_id, project_id, frames) SELECT id, project_id, frames FROM issues WHERE frames IS NOT NULL;
      CREATE INDEX issue_frames_idx ON issue_frames USING gin (frames jsonb_path_ops);
      DROP INDEX issues_frames_idx;
      ALTER TABLE issues DROP COLUMN frames;
    `);
  },
};
