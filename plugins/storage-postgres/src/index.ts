import { definePlugin, jobType, type FaultlinePlugin, type PluginContext } from '@faultline/core';
import { resolveOptions, type StoragePostgresOptions } from './options.js';
import { PostgresStorage } from './postgres-storage.js';

export { PostgresStorage } from './postgres-storage.js';
export { defaultOptions, type StoragePostgresOptions } from './options.js';
export { CONNECTION_DEFAULTS } from './connection.js';

/** Partition upkeep as a job: scheduled by the plugin, so it runs once per slot however many nodes run. */
export const PARTITION_UPKEEP_JOB = jobType<Record<string, never>>('storage-postgres:partitions');

/**
 * The Postgres storage plugin: `storagePostgres({ url })`, or no options for an embedded PostgreSQL
 * under ./.faultline/postgres. Options are checked here, so a bad one fails before start-up.
 */
export function storagePostgres(options: StoragePostgresOptions = {}): FaultlinePlugin {
  const resolved = resolveOptions(options);
  let storage: PostgresStorage | null = null;
  let context: PluginContext | null = null;
  let migrate = true;
  return definePlugin({
    name: '@faultline/plugin-storage-postgres',
    core: '^0.1.0',
    setup(ctx) {
      context = ctx;
      storage = new PostgresStorage({ ...options, log: ctx.log });
      migrate = ctx.config.migrate;
      ctx.provide('storage', storage);
    },
    async start() {
      if (!storage) throw new Error('storage-postgres: start() before setup()');
      await storage.connect();
      if (migrate) await storage.migrate();
      await storage.maintain();
      const jobs = context!.need('jobs');
      const running = storage;
      jobs.define(PARTITION_UPKEEP_JOB, () => running.maintain(), { attempts: 3, backoff: { initialMs: 30_000 }, deadlineMs: 3_000_000 });
      jobs.schedule('storage-postgres:partitions', { cron: resolved.maintenanceCron }, PARTITION_UPKEEP_JOB, {});
    },
    async stop() {
      await storage?.close();
    },
  });
}

/** The CLI and config files load plugins by package name and call the default export. */
export default storagePostgres;
