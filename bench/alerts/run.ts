/**
 * bench:alerts — from the 202 of an event that opens a new issue to the alert email accepted by an SMTP
 * server, with a rule on `issue.created` and no throttle, while other errors are ingested in the
 * background. One process: Faultline on a throwaway Postgres database, smtp-server on loopback.
 *   npm run bench:alerts -- [--issues 200] [--rate 1000] [--spacing-ms 50]
 * Prints one JSON object on stdout; progress goes to stderr.
 */
import { performance } from 'node:perf_hooks';
import { createToken } from '@faultline/core';
import alertEmail from '@faultline/plugin-alert-email';
import { startPostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { numberOption } from '../shared/args.js';
import { progress, summarize } from '../shared/stats.js';

const issues = numberOption('issues', 'BENCH_ISSUES', 200);
const rate = numberOption('rate', 'BENCH_RATE', 1000);
const spacingMs = numberOption('spacing-ms', 'BENCH_SPACING_MS', 50);
const TARGET_P95_MS = 1000;

/** When the SMTP server accepted each alert, by the new issue's error type in its subject. */
const accepted = new Map<string, number>();
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const at = performance.now();
      const subject = /^Subject: (.*)$/im.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? '';
      const type = /BenchNewIssue\d+/.exec(subject)?.[0];
      if (type && !accepted.has(type)) accepted.set(type, at);
      callback();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
const smtpPort = (smtp.server.address() as AddressInfo).port;

progress('starting Faultline on a throwaway database');
const server = await startPostgresTestServer({
  rateLimitPerMinute: 0,
  plugins: [alertEmail({ transport: { host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: 4 }, from: 'Faultline <bench@example.test>' })],
});
const admin = (await createToken(server.faultline.storage, { role: 'admin', projectIds: [server.project.id], label: 'bench' })).token;
const ruleRes = await fetch(`${server.url}/api/v1/projects/${server.project.id}/alert-rules`, {
  method: 'POST',
  headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'New issues', trigger: { type: 'issue.created' }, actions: [{ channel: 'email', to: ['oncall@example.test'] }] }),
});
if (ruleRes.status !== 201) throw new Error(`creating the rule answered ${ruleRes.status}`);

const event = (type: string, value: string) => ({
  level: 'error',
  environment: 'production',
  exception: { values: [{ type, value, stacktrace: { frames: [{ filename: 'src/app.js', function: 'handler', lineno: 10, in_app: true }] } }] },
});
async function post(events: object[]): Promise<{ status: number; at: number }> {
  const res = await fetch(`${server.url}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.project.publicKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  const at = performance.now();
  await res.arrayBuffer();
  return { status: res.status, at };
}

// Background: `rate` events/s of a few known errors, in batches of rate/20 every 50 ms.
let background = 0;
let backgroundFailed = 0;
let running = true;
const perTick = Math.max(1, Math.round(rate / 20));
const backgroundLoop = (async () => {
  let next = performance.now();
  while (running) {
    const batch = Array.from({ length: perTick }, (_, i) => event(`BackgroundError${i % 5}`, 'steady noise'));
    post(batch).then(
      (r) => (r.status === 202 ? (background += perTick) : (backgroundFailed += perTick)),
      () => (backgroundFailed += perTick),
    );
    next += 50;
    await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
  }
})();

await new Promise((r) => setTimeout(r, 1000)); // the background issues exist and the load is steady
progress(`sending ${issues} new issues, one every ${spacingMs} ms, over ${rate} background events/s`);
const started = performance.now();
const answered = new Map<string, number>();
const sends: Promise<void>[] = [];
for (let i = 0; i < issues; i++) {
  const type = `BenchNewIssue${i}`;
  sends.push(post([event(type, `new issue ${i}`)]).then((r) => {
    if (r.status !== 202) throw new Error(`new issue ${i} answered ${r.status}`);
    answered.set(type, r.at);
  }));
  await new Promise((r) => setTimeout(r, spacingMs));
}
await Promise.all(sends);
const deadline = performance.now() + 30_000;
while (accepted.size < issues && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
const seconds = (performance.now() - started) / 1000;
running = false;
await backgroundLoop;

const latencies = [...answered].flatMap(([type, at]) => (accepted.has(type) ? [accepted.get(type)! - at] : []));
const result = {
  bench: 'alerts',
  issues,
  delivered: latencies.length,
  missing: issues - latencies.length,
  latencyMs: summarize(latencies),
  targetP95Ms: TARGET_P95_MS,
  meetsTarget: latencies.length === issues && summarize(latencies).p95 <= TARGET_P95_MS,
  background: { targetPerSecond: rate, accepted: background, failed: backgroundFailed, perSecond: Math.round(background / (seconds + 1)) },
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
await server.stop();
await new Promise<void>((resolve) => smtp.close(() => resolve()));
