import pg from 'pg';
import { cpuSeconds } from '../shared/proc.js';

/**
 * CPU seconds used so far by the PostgreSQL processes that serve one database: its client backends and
 * the server's background processes (WAL writer, checkpointer), by pid. Other databases' backends (other
 * work on a shared server) are left out, unlike bench/shared/postgres-usage.ts.
 */
export async function databaseCpuSeconds(databaseUrl: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE (datname = current_database() AND pid <> pg_backend_pid()) OR backend_type <> 'client backend'`,
    );
    return new Map(rows.map((r) => [r.pid, cpuSeconds(r.pid)]));
  } finally {
    await client.end();
  }
}

/** CPU seconds between two readings; a process that started between them counts whole. */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let s = 0;
  for (const [pid, at] of after) if (Number.isFinite(at)) s += at - (before.get(pid) ?? 0);
  return s;
}
