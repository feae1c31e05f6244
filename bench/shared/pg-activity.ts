import pg from 'pg';

/**
 * Samples pg_stat_activity of one database every `everyMs` and counts what its sessions were doing
 * (active on CPU, waiting on a lock or I/O, idle in transaction), by wait event and statement: a
 * poor man's wait profile of the database side of a run.
 */
export async function sampleActivity(databaseUrl: string, everyMs = 10) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query<{ state: string; wait: string | null; query: string }>(
        `SELECT state, wait_event_type || ':' || wait_event AS wait, left(regexp_replace(query, '\\s+', ' ', 'g'), 60) AS query
           FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`,
      );
      samples++;
      for (const r of rows) {
        const key = `${r.state} | ${r.wait ?? 'CPU'} | ${r.query}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return async function stop() {
    running = false;
    await loop;
    await client.end();
    return {
      samples,
      top: [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 15)
        .map(([what, n]) => ({ what, sessionsPerSample: Math.round((n / samples) * 100) / 100 })),
    };
  };
}
