export { createTestDatabase, type TestDatabase } from './test-database.js';
export { startTestServer, type TestServer, type TestProject } from './test-server.js';
export { freePort } from '../embedded-postgres.js';
