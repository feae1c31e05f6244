import { startTestServer } from '@faultline/plugin-storage-postgres/testing';
import { execFileSync } from 'node:child_process';
const s = await startTestServer();
try {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'core/test/fixtures/sentry/node-sdk-app.ts', s.project.dsn, 'rich'], { encoding: 'utf8' });
  console.log(out);
  await new Promise((r) => setTimeout(r, 500));
  const r = await fetch(`${s.url}/api/v1/projects/${s.project.id}/issues?query=`, { headers: { authorization: `Bearer ${s.project.secretToken}` } });
  console.log(JSON.stringify(await r.json(), null, 1));
  const id = JSON.parse(out).ids.first;
  const e = await fetch(`${s.url}/api/v1/events/${id}`, { headers: { authorization: `Bearer ${s.project.secretToken}` } });
  console.log(JSON.stringify(await e.json(), null, 1).slice(0, 6000));
  console.log(await (await fetch(`${s.url}/metrics`)).text().then(t=>t.split('\n').filter(l=>l.includes('dropped')||l.includes('discard')).join('\n')));
} finally { await s.stop(); }
