import type { Migration } from './migration.js';

/**
 * Alert rules per project, their delivery log, and the small shared state rule evaluation keeps across
 * nodes (throttle windows and threshold latches), so that several nodes evaluating the same stream send
 * one alert: a delivery's (rule, key) is unique, and a latch or a window changes for one caller only.
 * Numbered 0005: 0004 is kept for the audit log of another branch.
 */
export const alertRules: Migration = {
  name: '0005-alert-rules',
  async up(client) {
    await client.query(`
      CREATE TABLE alert_rules (
        id bigserial PRIMARY KEY,
        project_id int NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        trigger jsonb NOT NULL,
        filters jsonb NOT NULL DEFAULT '{}',
        actions jsonb NOT NULL,
        throttle_minutes int NOT NULL DEFAULT 0,
        digest_minutes int,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX alert_rules_project_idx ON alert_rules (project_id, id);

      CREATE TABLE alert_deliveries (
        id bigserial PRIMARY KEY,
        rule_id bigint NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
        project_id int NOT NULL,
        key text NOT NULL,
        action int NOT NULL,
        channel text NOT NULL,
        issue_id bigint,
        reason text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'digest', 'digested')),
        attempts int NOT NULL DEFAULT 0,
        error text,
        receiver_id text,
        digest_key text,
        message jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (rule_id, key)
      );
      CREATE INDEX alert_deliveries_rule_idx ON alert_deliveries (rule_id, id DESC);
      CREATE INDEX alert_deliveries_digest_idx ON alert_deliveries (rule_id, digest_key) WHERE digest_key IS NOT NULL;

      CREATE TABLE alert_rule_state (
        rule_id bigint NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
        key text NOT NULL,
        latched boolean NOT NULL DEFAULT false,
        until timestamptz,
        PRIMARY KEY (rule_id, key)
      );
    `);
  },
};
