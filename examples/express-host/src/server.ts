import path from 'node:path';
import { buildDsn, createFaultline, gracefulServer, writeInstanceFile } from '@faultline/core';
import { storagePostgres } from '@faultline/plugin-storage-postgres';
import { init as initSdk } from '@faultline/sdk/node';
import { createShopApp } from './create-app.js';
import { demoAuthorize } from './demo-authorize.js';
import { ensureDemoProject } from './demo-project.js';

const port = Number(process.env.PORT ?? 3000);
// `npm start` sets it to the repository's .faultline/, which is where `npx faultline` run from the
// repository's root looks for the embedded database and this instance's URL.
const stateDir = path.resolve(process.env.FAULTLINE_STATE_DIR ?? './.faultline');
const mountPath = '/faultline';
let demoProjectId = 0;

// The three lines a host needs: create, mount (in createShopApp), stop on exit.
const faultline = await createFaultline({
  plugins: [storagePostgres({ dataDir: path.join(stateDir, 'postgres') })],
  authorize: demoAuthorize(() => demoProjectId),
});
const { demo, created } = await ensureDemoProject(faultline, stateDir);
demoProjectId = demo.projectId;

const publicUrl = process.env.FAULTLINE_PUBLIC_URL ?? `http://127.0.0.1:${port}${mountPath}`;
const dsn = buildDsn(publicUrl, demo.publicKey, demo.projectId);
initSdk({ dsn: buildDsn(`http://127.0.0.1:${port}${mountPath}`, demo.publicKey, demo.projectId), release: 'demo-shop@1.0.0', environment: 'demo' });
await writeInstanceFile(stateDir, { publicUrl });

const app = createShopApp({ faultline, projectId: demo.projectId, publicKey: demo.publicKey, mountPath, publicUrl: process.env.FAULTLINE_PUBLIC_URL });
const server = app.listen(port, () => {
  const lines = [
    `Demo shop on http://localhost:${port}`,
    `Faultline mounted at http://localhost:${port}${mountPath}`,
    `${created ? 'Created' : 'Using'} project ${demo.projectId}`,
    `  DSN:          ${dsn}`,
    `  Public key:   ${demo.publicKey}`,
    `  Secret token: ${demo.secretToken}   (admin of project ${demo.projectId}: Authorization: Bearer <token>)`,
    `Make an error: http://localhost:${port}/checkout/moon-boots  ·  see it: http://localhost:${port}/admin/errors`,
    `Another project on this database (from the repository's root, while this runs):`,
    `  npx faultline project create "Another app"`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
});
const graceful = gracefulServer(server);

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  await graceful.close({ timeoutMs: 5_000 });
  await faultline.stop();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
