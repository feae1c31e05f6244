import { startTestServer, type TestServer, type TestServerOptions } from '@faultline/core/testing';
import { storagePostgres } from '../index.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface PostgresTestServer extends TestServer {
  database: TestDatabase;
}

/** core's test server on the Postgres storage, on a throwaway database that `stop()` drops. */
export async function startPostgresTestServer(options: Omit<TestServerOptions, 'storage' | 'afterStop'> = {}): Promise<PostgresTestServer> {
  const database = await createTestDatabase();
  const server = await startTestServer({ ...options, storage: storagePostgres({ url: database.url }), afterStop: () => database.drop() });
  return { ...server, database };
}
