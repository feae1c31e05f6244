import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type RunningEmbeddedPostgres } from '../embedded-postgres.js';
import { silentLogger } from '../silent-logger.js';

export interface TestDatabase {
  /** URL of a fresh, empty database. */
  url: string;
  /** Closes its connections and drops it (and stops the embedded server, if one was started). */
  drop(): Promise<void>;
}

const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A throwaway database with a random name on FAULTLINE_TEST_DATABASE_URL, else on the local PostgreSQL
 * at 127.0.0.1:5432 if it answers, else on an embedded PostgreSQL in a temporary directory.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const configured = process.env.FAULTLINE_TEST_DATABASE_URL;
  if (configured) return createOn(configured, null);
  if (await answers(LOCAL_URL)) return createOn(LOCAL_URL, null);
  const dir = await mkdtemp(path.join(tmpdir(), 'faultline-pg-'));
  await chmod(dir, 0o755); // the postgres system user must reach the data directory
  let server: RunningEmbeddedPostgres;
  try {
    server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), database: 'postgres', log: silentLogger() });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return createOn(server.url, async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });
}

async function createOn(adminUrl: string, afterDrop: (() => Promise<void>) | null): Promise<TestDatabase> {
  const name = `faultline_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      try {
        await withAdmin(adminUrl, async (client) => {
          await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
          await client.query(`DROP DATABASE IF EXISTS ${name}`);
        });
      } finally {
        await afterDrop?.();
      }
    },
  };
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    await withAdmin(url, (client) => client.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}
