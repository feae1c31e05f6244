import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { pino } from 'pino';
import { buildDsn, createFaultline, createProjectWithKey, type Faultline, type FaultlineOptions } from '@faultline/core';
import { storagePostgres } from '@faultline/plugin-storage-postgres';
import { queueRedis, type QueueRedisOptions } from '../../src/index.js';

export interface Node {
  url: string;
  faultline: Faultline;
  stop(): Promise<void>;
}

/**
 * One Faultline on Redis and a shared database, mounted at /faultline on a loopback port: several of
 * them make the nodes of one installation inside a test process.
 */
export async function startNode(databaseUrl: string, redis: QueueRedisOptions, options: Omit<FaultlineOptions, 'plugins'> = {}): Promise<Node> {
  const faultline = await createFaultline({
    logger: pino({ level: process.env.FAULTLINE_TEST_LOG_LEVEL ?? 'silent' }),
    defaultMetrics: false,
    ingestThreads: 0,
    ...options,
    plugins: [storagePostgres({ url: databaseUrl }), queueRedis(redis)],
  });
  const app = express();
  app.use('/faultline', faultline.router());
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  let stopped = false;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/faultline`,
    faultline,
    async stop() {
      if (stopped) return;
      stopped = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await faultline.stop();
    },
  };
}

export async function createProject(faultline: Faultline, url: string, name = 'Scale test') {
  const { project, publicKey } = await createProjectWithKey(faultline.storage, { name });
  return { id: project.id, publicKey, dsn: buildDsn(url, publicKey, project.id) };
}
