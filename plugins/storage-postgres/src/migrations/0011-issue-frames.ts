import type { Migration } from './migration.js';

/**
 * The frames an issue is found by itself (`stack.filename`, `stack.function`): its first event's file names
 * and functions, as events keep theirs in `fields` (migration 0007), under a GIN index. An event with the
 * same frames as its issue (nearly every one: grouping made them one issue) no longer adds them to the
 * events' index. Issues created before this migration have none, and their events keep adding theirs.
 */
export const issueFrames: Migration = {
  name: '0011-issue-frames',
  async up(client) {
    await client.query(`
      ALTER TABLE issues ADD COLUMN frames jsonb;
      CREATE INDEX issues_frames_idx ON issues USING gin (frames jsonb_path_ops);
    `);
  },
};
