import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Express } from 'express';
import { pino } from 'pino';
import { buildDsn, createFaultline, createProjectWithKey, createToken, type Faultline, type FaultlineOptions } from '@faultline/core';
import { storagePostgres } from '../index.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestProject {
  id: number;
  publicKey: string;
  dsn: string;
  /** A member token scoped to this project. */
  secretToken: string;
}

export interface TestServer {
  /** Where Faultline is mounted: http://127.0.0.1:PORT/faultline */
  url: string;
  /** The host app's origin: http://127.0.0.1:PORT */
  origin: string;
  project: TestProject;
  /** A bootstrap admin token for every project. */
  adminToken: string;
  faultline: Faultline;
  /** The host app; add routes to it (pages for browser tests, say). */
  app: Express;
  server: Server;
  database: TestDatabase;
  /** Another project with its own key and token, for isolation tests. */
  createProject(name: string): Promise<TestProject>;
  stop(): Promise<void>;
}

/**
 * A real Faultline mounted at /faultline in a real Express app on a loopback port, on a throwaway
 * database, with one project. For tests of the SDK, the Sentry routes, and core end to end.
 */
export async function startTestServer(options: Omit<FaultlineOptions, 'plugins'> & { plugins?: FaultlineOptions['plugins'] } = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const adminToken = `test-admin-${Math.random().toString(36).slice(2)}-token`;
  let faultline: Faultline;
  try {
    faultline = await createFaultline({
      logger: pino({ level: process.env.FAULTLINE_TEST_LOG_LEVEL ?? 'silent' }),
      defaultMetrics: false,
      adminToken,
      ...options,
      plugins: [storagePostgres({ url: database.url }), ...(options.plugins ?? [])],
    });
  } catch (err) {
    await database.drop();
    throw err;
  }
  const app = express();
  app.use('/faultline', faultline.router());
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = `${origin}/faultline`;

  async function createProject(name: string): Promise<TestProject> {
    const { project, publicKey } = await createProjectWithKey(faultline.storage, { name });
    const { token } = await createToken(faultline.storage, { role: 'member', projectIds: [project.id], label: 'test' });
    return { id: project.id, publicKey, dsn: buildDsn(url, publicKey, project.id), secretToken: token };
  }

  const project = await createProject('Test project');
  let stopped = false;
  return {
    url,
    origin,
    project,
    adminToken,
    faultline,
    app,
    server,
    database,
    createProject,
    async stop() {
      if (stopped) return;
      stopped = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await faultline.stop();
      await database.drop();
    },
  };
}
