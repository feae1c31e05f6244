// `npm run fuzz [-- --runs N --seed S]`: the long run of the ingest property test, with a summary.
import { parseArgs } from 'node:util';
import { startTestServer } from '@faultline/plugin-storage-postgres/testing';
import { sendHostile } from './send-hostile.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string' } } });
const server = await startTestServer();
const started = performance.now();
let failed = false;
try {
  const summary = await sendHostile(server, Number(values.runs), values.seed ? Number(values.seed) : undefined);
  process.stdout.write(`${JSON.stringify({ ...summary, seconds: Math.round((performance.now() - started) / 1000) }, null, 2)}\n`);
} catch (err) {
  failed = true;
  process.stderr.write(`${(err as Error).message}\n`);
} finally {
  await server.stop();
}
process.exit(failed ? 1 : 0);
