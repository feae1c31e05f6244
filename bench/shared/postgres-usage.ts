import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { cpuSeconds } from './proc.js';

/**
 * CPU seconds used so far by every local `postgres` process (backends, WAL writer, checkpointer; the
 * server is shared, so other work on it counts too) and the WAL position, to compare phases of a run.
 */
export async function postgresUsage(databaseUrl: string): Promise<{ cpuSeconds: number; walLsn: string }> {
  let cpu = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') cpu += cpuSeconds(Number(entry));
    } catch {
      // the process ended
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    return { cpuSeconds: cpu, walLsn: rows[0].lsn };
  } finally {
    await client.end();
  }
}

/** Bytes of WAL between two positions. */
export function walBytes(from: string, to: string): number {
  const parse = (lsn: string) => {
    const [hi, lo] = lsn.split('/');
    return BigInt(`0x${hi}`) * 0x100000000n + BigInt(`0x${lo}`);
  };
  return Number(parse(to) - parse(from));
}
