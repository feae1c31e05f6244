import type { Migration } from './migration.js';

/**
 * Each project's own scrubbing rules (core's scrub/scrubbing-rules.ts), one row per project that set
 * any; `version` grows with each change so ingest threads know to compile them again. Numbered 0008:
 * 0005 to 0007 belong to work on other branches.
 */
export const scrubbing: Migration = {
  name: '0008-scrubbing',
  async up(client) {
    await client.query(`
      CREATE TABLE project_scrubbing (
        project_id int PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        rules jsonb NOT NULL,
        version int NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  },
};
