import { definePlugin, type FaultlinePlugin } from '@faultline/core';
import { resolveOptions, type StoragePostgresOptions } from './options.js';
import { PostgresStorage } from './postgres-storage.js';

export { PostgresStorage } from './postgres-storage.js';
export { defaultOptions, type StoragePostgresOptions } from './options.js';
export { CONNECTION_DEFAULTS } from './connection.js';

/**
 * The Postgres storage plugin: `storagePostgres({ url })`, or no options for an embedded PostgreSQL
 * under ./.faultline/postgres. Options are checked here, so a bad one fails before start-up.
 */
export function storagePostgres(options: StoragePostgresOptions = {}): FaultlinePlugin {
  resolveOptions(options);
  let storage: PostgresStorage | null = null;
  let migrate = true;
  return definePlugin({
    name: '@faultline/plugin-storage-postgres',
    core: '^0.1.0',
    setup(ctx) {
      storage = new PostgresStorage({ ...options, log: ctx.log });
      migrate = ctx.config.migrate;
      ctx.provide('storage', storage);
    },
    async start() {
      if (!storage) throw new Error('storage-postgres: start() before setup()');
      await storage.connect();
      if (migrate) await storage.migrate();
      await storage.startMaintenance();
    },
    async stop() {
      await storage?.close();
    },
  });
}

/** The CLI and config files load plugins by package name and call the default export. */
export default storagePostgres;
