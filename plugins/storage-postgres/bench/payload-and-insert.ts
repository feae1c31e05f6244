/**
 * Measures (not a test): events payload column type and the events insert method.
 *   node --import tsx --conditions=faultline-source plugins/storage-postgres/bench/payload-and-insert.ts
 * Prints JSON. Uses a throwaway database (see src/testing).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createTestDatabase } from '../src/testing/index.js';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 40_000);
const BATCH = 1000;

function payload(): string {
  const frames = Array.from({ length: 12 }, (_, i) => ({
    filename: `/srv/app/src/module-${i}.js`, function: `handler${i}`, lineno: 100 + i, colno: 7, in_app: i > 3,
    context_line: `    const result = await service${i}.call(request, options);`,
  }));
  return JSON.stringify({
    event_id: randomBytes(16).toString('hex'), timestamp: new Date().toISOString(), level: 'error', platform: 'node',
    exception: { values: [{ type: 'TypeError', value: `Cannot read properties of undefined (reading 'x${randomBytes(3).toString('hex')}')`, stacktrace: { frames } }] },
    tags: { region: 'eu-west-1', host: `web-${randomBytes(2).toString('hex')}` }, release: '1.4.2', environment: 'production',
    request: { url: 'https://shop.example/api/cart', method: 'POST', headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' } },
    user: { id: randomBytes(4).toString('hex') },
  });
}

async function setup(client: pg.Client, table: string, column: string) {
  await client.query(`DROP TABLE IF EXISTS ${table}`);
  await client.query(`CREATE TABLE ${table} (project_id int NOT NULL, event_id uuid NOT NULL, issue_id bigint NOT NULL,
    received_at timestamptz NOT NULL, level text NOT NULL, payload ${column} NOT NULL) PARTITION BY RANGE (received_at)`);
  await client.query(`CREATE TABLE ${table}_d PARTITION OF ${table} DEFAULT`);
  await client.query(`CREATE INDEX ON ${table} (project_id, issue_id, received_at DESC, event_id)`);
  await client.query(`CREATE INDEX ON ${table} (project_id, event_id)`);
}

type Row = [number, string, number, Date, string, string];
const rows: Row[] = Array.from({ length: TOTAL }, (_, i) => [1, randomBytes(16).toString('hex'), (i % 500) + 1, new Date(), 'error', payload()]);

async function viaUnnest(client: pg.Client, table: string, cast: string) {
  for (let i = 0; i < rows.length; i += BATCH) {
    const b = rows.slice(i, i + BATCH);
    await client.query(
      `INSERT INTO ${table} SELECT a, b, c, d, e, f::${cast} FROM unnest($1::int[], $2::uuid[], $3::bigint[], $4::timestamptz[], $5::text[], $6::text[]) AS t(a, b, c, d, e, f)`,
      [b.map((r) => r[0]), b.map((r) => r[1]), b.map((r) => r[2]), b.map((r) => r[3]), b.map((r) => r[4]), b.map((r) => r[5])],
    );
  }
}

const copyEscape = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');

async function viaCopy(client: pg.Client, table: string) {
  for (let i = 0; i < rows.length; i += BATCH) {
    const b = rows.slice(i, i + BATCH);
    const text = b.map((r) => `${r[0]}\t${r[1]}\t${r[2]}\t${r[3].toISOString()}\t${r[4]}\t${copyEscape(r[5])}\n`).join('');
    await pipeline(Readable.from([text]), client.query(copyFrom(`COPY ${table} FROM STDIN`)));
  }
}

async function measure(client: pg.Client, name: string, column: string, write: (t: string) => Promise<void>) {
  const table = `bench_${name}`;
  await setup(client, table, column);
  const started = process.hrtime.bigint();
  await write(table);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const size = await client.query<{ bytes: string }>(`SELECT pg_total_relation_size('${table}_d') AS bytes`);
  const read = process.hrtime.bigint();
  await client.query(`SELECT payload FROM ${table} WHERE project_id = 1 AND issue_id = 7 ORDER BY received_at DESC LIMIT 50`);
  const readMs = Number(process.hrtime.bigint() - read) / 1e6;
  await client.query(`DROP TABLE ${table}`);
  return { name, rowsPerSecond: Math.round(TOTAL / seconds), mbOnDisk: +(Number(size.rows[0].bytes) / 1e6).toFixed(1), read50Ms: +readMs.toFixed(1) };
}

const db = await createTestDatabase();
const client = new pg.Client({ connectionString: db.url });
await client.connect();
try {
  const avgBytes = Math.round(rows.reduce((n, r) => n + r[5].length, 0) / rows.length);
  const results = [];
  // warm-up
  await measure(client, 'warmup', 'text COMPRESSION lz4', (t) => viaUnnest(client, t, 'text'));
  results.push(await measure(client, 'jsonb_unnest', 'jsonb', (t) => viaUnnest(client, t, 'jsonb')));
  results.push(await measure(client, 'jsonb_lz4_unnest', 'jsonb COMPRESSION lz4', (t) => viaUnnest(client, t, 'jsonb')));
  results.push(await measure(client, 'json_lz4_unnest', 'json COMPRESSION lz4', (t) => viaUnnest(client, t, 'json')));
  results.push(await measure(client, 'text_pglz_unnest', 'text COMPRESSION pglz', (t) => viaUnnest(client, t, 'text')));
  results.push(await measure(client, 'text_lz4_unnest', 'text COMPRESSION lz4', (t) => viaUnnest(client, t, 'text')));
  results.push(await measure(client, 'text_lz4_copy', 'text COMPRESSION lz4', (t) => viaCopy(client, t)));
  results.push(await measure(client, 'text_lz4_unnest_again', 'text COMPRESSION lz4', (t) => viaUnnest(client, t, 'text')));
  results.push(await measure(client, 'text_lz4_copy_again', 'text COMPRESSION lz4', (t) => viaCopy(client, t)));
  process.stdout.write(`${JSON.stringify({ events: TOTAL, batch: BATCH, avgPayloadBytes: avgBytes, results }, null, 2)}\n`);
} finally {
  await client.end();
  await db.drop();
}
