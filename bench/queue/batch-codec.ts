/**
 * encodeBatch / decodeBatch of a 1000-event batch of ~2.5 KB events: microseconds per event each way.
 * `node --import tsx --conditions=faultline-source bench/queue/batch-codec.ts`; prints JSON.
 */
import { decodeBatch, encodeBatch, type GroupedEvent } from '@faultline/core';

const EVENTS = 1000;
const ROUNDS = 50;
const utf8 = new TextEncoder();

function payload(n: number): Uint8Array {
  const frames = Array.from({ length: 12 }, (_, i) => ({ filename: `/app/src/module-${i}.js`, function: `handler${i}`, lineno: 10 + i, colno: 7, in_app: true }));
  const event = { event_id: n.toString(16).padStart(32, '0'), level: 'error', message: `Grüße ${n}`, exception: { values: [{ type: 'TypeError', value: 'x is undefined', stacktrace: { frames } }] }, tags: { region: 'eu-west-1' } };
  let json = JSON.stringify(event);
  while (json.length < 2500) json = JSON.stringify({ ...event, extra: { pad: 'p'.repeat(2500 - json.length) } });
  return utf8.encode(json);
}

const batch: GroupedEvent[] = Array.from({ length: EVENTS }, (_, n) => ({
  projectId: 1,
  eventId: n.toString(16).padStart(32, '0'),
  receivedAt: new Date().toISOString(),
  timestamp: new Date().toISOString(),
  level: 'error',
  platform: 'node',
  release: 'api@1.2.3',
  environment: 'production',
  fingerprint: 'a'.repeat(32),
  groupingVersion: 'v1',
  userKey: `user-${n % 50}`,
  meta: { title: 'TypeError: x is undefined', culprit: 'handler0 at /app/src/module-0.js', type: 'TypeError', value: 'x is undefined' },
  search: {
    text: `TypeError x is undefined Grüße ${n}`,
    tags: { region: 'eu-west-1', 'user.id': `user-${n % 50}` },
    filenames: Array.from({ length: 12 }, (_, i) => `/app/src/module-${i}.js`),
    functions: Array.from({ length: 12 }, (_, i) => `handler${i}`),
  },
  payload: payload(n),
}));

function time(fn: () => void): number {
  for (let i = 0; i < 5; i++) fn(); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1e3 / ROUNDS / EVENTS;
}

const bytes = encodeBatch(batch);
const payloadBytes = batch.reduce((sum, e) => sum + e.payload.byteLength, 0);
const result = {
  events: EVENTS,
  avgPayloadBytes: Math.round(payloadBytes / EVENTS),
  encodedBytes: bytes.byteLength,
  overheadBytesPerEvent: Math.round((bytes.byteLength - payloadBytes) / EVENTS),
  encodeMicrosPerEvent: +time(() => encodeBatch(batch)).toFixed(3),
  decodeMicrosPerEvent: +time(() => decodeBatch(bytes)).toFixed(3),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
