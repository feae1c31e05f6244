import type { Migration } from './migration.js';

/**
 * A project-level hourly rollup, so project stats read one row per hour instead of one per (hour, issue)
 * (about one per event when issues are many), filled from the issue-level rollup; and an index for
 * `release:` filters, which otherwise scan the project's issues when the release is rare or unknown.
 */
export const projectStatsAndReleaseIndex: Migration = {
  name: '0002-project-stats-and-release-index',
  async up(client) {
    await client.query(`
      CREATE TABLE project_stats_hourly (
        project_id int NOT NULL,
        bucket timestamptz NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (project_id, bucket)
      );
      INSERT INTO project_stats_hourly (project_id, bucket, count)
      SELECT project_id, bucket, sum(count) FROM issue_stats_hourly GROUP BY project_id, bucket;

      CREATE INDEX issues_release_idx ON issues (project_id, release, last_seen DESC, id DESC);
    `);
  },
};
