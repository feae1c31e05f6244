export { createTestDatabase, type TestDatabase } from './test-database.js';
export { startPostgresTestServer, type PostgresTestServer } from './postgres-test-server.js';
export { freePort } from '../embedded-postgres.js';
