import type { Migration } from './migration.js';

/** The audit log of admin actions; append-only, read newest first, by project or across all. */
export const auditLog: Migration = {
  name: '0004-audit-log',
  async up(client) {
    await client.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        action text NOT NULL,
        project_id int,
        target text,
        ip text,
        details jsonb NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_log_project_idx ON audit_log (project_id, id DESC);
    `);
  },
};
