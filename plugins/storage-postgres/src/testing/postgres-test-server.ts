import { startTestServer, type TestServer, type TestServerOptions } from '@faultline/core/testing';
import { storagePostgres, type StoragePostgresOptions } from '../index.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface PostgresTestServer extends TestServer {
  database: TestDatabase;
}

/** core's test server on the Postgres storage, on a throwaway database that `stop()` drops. */
export async function startPostgresTestServer(
  options: Omit<TestServerOptions, 'storage' | 'afterStop'> = {},
  storage: Omit<StoragePostgresOptions, 'url'> = {},
): Promise<PostgresTestServer> {
  const database = await createTestDatabase();
  const server = await startTestServer({ ...options, storage: storagePostgres({ ...storage, url: database.url }), afterStop: () => database.drop() });
  return { ...server, database };
}
