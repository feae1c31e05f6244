import type { Request } from 'express';
import { buildDsn, createFaultline, type Grant } from '@faultline/core';
import { storagePostgres } from '@faultline/plugin-storage-postgres';
import { init as initSdk } from '@faultline/sdk/node';
import { createShopApp } from './create-app.js';
import { ensureDemoProject } from './demo-project.js';

const port = Number(process.env.PORT ?? 3000);
const stateDir = process.env.FAULTLINE_STATE_DIR ?? './.faultline';
let demoProjectId = 0;

/**
 * The host decides who may read Faultline's API (instead of tokens). This demo trusts requests from
 * this machine; a real app checks its own session here.
 */
function authorize(req: Request): Grant | null {
  const ip = req.socket.remoteAddress ?? '';
  const local = ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
  return local && demoProjectId ? { role: 'member', projectIds: [demoProjectId] } : null;
}

// The three lines a host needs: create, mount (in createShopApp), stop on exit.
const faultline = await createFaultline({ plugins: [storagePostgres()], authorize });
const { demo, created } = await ensureDemoProject(faultline, stateDir);
demoProjectId = demo.projectId;

const base = `http://127.0.0.1:${port}/faultline`;
const dsn = buildDsn(base, demo.publicKey, demo.projectId);
initSdk({ dsn, release: 'demo-shop@1.0.0', environment: 'demo' });

const app = createShopApp({ faultline, projectId: demo.projectId, browserDsn: dsn });
const server = app.listen(port, () => {
  const lines = [
    `Demo shop on http://localhost:${port}`,
    `Faultline mounted at http://localhost:${port}/faultline`,
    `${created ? 'Created' : 'Using'} project ${demo.projectId}`,
    `  DSN:        ${dsn}`,
    `  Public key: ${demo.publicKey}`,
    `Make an error: http://localhost:${port}/checkout/moon-boots  ·  see it: http://localhost:${port}/admin/errors`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
});

async function shutdown() {
  server.close();
  server.closeIdleConnections();
  await faultline.stop();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
