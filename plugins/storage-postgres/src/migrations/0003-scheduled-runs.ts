import type { Migration } from './migration.js';

/**
 * One row per schedule slot that fired: the primary key is what makes a slot fire once across every
 * node on this database (`claimScheduledRun` inserts, and only the insert that adds the row wins).
 */
export const scheduledRuns: Migration = {
  name: '0003-scheduled-runs',
  async up(client) {
    await client.query(`
      CREATE TABLE scheduled_runs (
        name text NOT NULL,
        slot text NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (name, slot)
      );
    `);
  },
};
