import { Umzug, type UmzugStorage } from 'umzug';
import type pg from 'pg';
import type { Logger } from 'pino';
import { MIGRATIONS } from './migrations/index.js';

/** Any constant shared by every Faultline process: the key of the session advisory lock. */
const MIGRATION_LOCK_KEY = 0x6661_756c; // 'faul'

/**
 * Brings the schema up to date on one session. A session advisory lock makes concurrent callers wait
 * their turn; the second one then finds nothing pending. Each migration runs in its own transaction
 * together with the row recording it, so a failure leaves no half-applied version.
 */
export async function runMigrations(client: pg.ClientBase, log: Logger): Promise<string[]> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    await client.query(`
      CREATE TABLE IF NOT EXISTS faultline_migrations (
        name text PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const umzug = new Umzug<pg.ClientBase>({
      migrations: MIGRATIONS.map((migration) => ({
        name: migration.name,
        async up({ context }) {
          await context.query('BEGIN');
          try {
            await migration.up(context);
            await context.query('INSERT INTO faultline_migrations (name) VALUES ($1)', [migration.name]);
            await context.query('COMMIT');
          } catch (err) {
            await context.query('ROLLBACK').catch(() => undefined);
            throw err;
          }
        },
      })),
      context: client,
      storage: tableStorage(client),
      logger: {
        info: (message) => log.info(message, 'migration'),
        warn: (message) => log.warn(message, 'migration'),
        error: (message) => log.error(message, 'migration'),
        debug: (message) => log.debug(message, 'migration'),
      },
    });
    const applied = await umzug.up();
    return applied.map((m) => m.name);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  }
}

/** Umzug's record of applied migrations; `logMigration` is a no-op because `up` records in its transaction. */
function tableStorage(client: pg.ClientBase): UmzugStorage<pg.ClientBase> {
  return {
    async executed() {
      const { rows } = await client.query<{ name: string }>('SELECT name FROM faultline_migrations ORDER BY name');
      return rows.map((row) => row.name);
    },
    async logMigration() {},
    async unlogMigration({ name }) {
      await client.query('DELETE FROM faultline_migrations WHERE name = $1', [name]);
    },
  };
}
