import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { pino } from 'pino';
import { createProjectWithKey, createToken } from '../admin/provisioning.js';
import { buildDsn } from '../auth/dsn.js';
import { createFaultline, type Faultline } from '../create-faultline.js';
import type { FaultlineOptions } from '../faultline-options.js';
import type { FaultlinePlugin } from '../plugins/plugin-types.js';
import { memoryStorage } from './memory-storage/memory-storage.js';

export interface TestProject {
  id: number;
  publicKey: string;
  dsn: string;
  /** A member token scoped to this project. */
  secretToken: string;
}

export interface TestServerOptions extends Omit<FaultlineOptions, 'plugins'> {
  /** The storage plugin, listed first; the in-memory storage when not given. */
  storage?: FaultlinePlugin;
  /** More plugins, after the storage. */
  plugins?: FaultlinePlugin[];
  /** Runs once Faultline has stopped, or when it failed to start (drop a throwaway database, say). */
  afterStop?: () => Promise<void>;
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
  /** Another project with its own key and token, for isolation tests. */
  createProject(name: string): Promise<TestProject>;
  stop(): Promise<void>;
}

/**
 * A real Faultline mounted at /faultline in a real Express app on a loopback port, with one project, on
 * the storage given (in memory by default). For end-to-end tests of plugins, SDKs and core.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { storage = memoryStorage(), plugins = [], afterStop, ...faultlineOptions } = options;
  const adminToken = `test-admin-${Math.random().toString(36).slice(2)}-token`;
  let faultline: Faultline;
  try {
    faultline = await createFaultline({
      logger: pino({ level: process.env.FAULTLINE_TEST_LOG_LEVEL ?? 'silent' }),
      defaultMetrics: false,
      adminToken,
      ...faultlineOptions,
      plugins: [storage, ...plugins],
    });
  } catch (err) {
    await afterStop?.();
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

  let stopped = false;
  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    try {
      await faultline.stop();
    } finally {
      await afterStop?.();
    }
  }

  let project: TestProject;
  try {
    project = await createProject('Test project');
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, origin, project, adminToken, faultline, app, server, createProject, stop };
}
