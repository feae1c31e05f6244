import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

const TABLE = 'bench_copy_baseline';

/**
 * The ceiling: the same events written straight into the same PostgreSQL with COPY into
 * `(project_id, event_id, received_at, payload jsonb, primary key (project_id, event_id))`,
 * one COPY (and commit) per `chunk` rows on one connection, like the server's batches.
 */
export async function copyBaseline(
  databaseUrl: string,
  events: { id: string; json: string }[],
  chunk: number,
  beforeTiming: () => Promise<void> = async () => undefined,
  afterTiming: () => Promise<void> = async () => undefined,
): Promise<{ seconds: number; rows: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await client.query(`CREATE TABLE ${TABLE} (
      project_id int NOT NULL, event_id text NOT NULL, received_at timestamptz NOT NULL, payload jsonb NOT NULL,
      PRIMARY KEY (project_id, event_id))`);
    await client.query('CHECKPOINT');
    await beforeTiming();
    const receivedAt = new Date().toISOString();
    const start = performance.now();
    for (let i = 0; i < events.length; i += chunk) {
      const lines = events.slice(i, i + chunk).map((e) => `1\t${e.id}\t${receivedAt}\t${escapeCopyText(e.json)}\n`);
      const stream = client.query(copyFrom(`COPY ${TABLE} (project_id, event_id, received_at, payload) FROM STDIN`));
      await pipeline(Readable.from(lines), stream);
    }
    const seconds = (performance.now() - start) / 1000;
    await afterTiming();
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${TABLE}`);
    await client.query(`DROP TABLE ${TABLE}`);
    return { seconds, rows: Number(rows[0].n) };
  } finally {
    await client.end();
  }
}

/** COPY's text format: JSON.stringify emits no raw tabs or newlines, so only backslashes need doubling. */
function escapeCopyText(json: string): string {
  return json.includes('\\') ? json.replace(/\\/g, '\\\\') : json;
}
