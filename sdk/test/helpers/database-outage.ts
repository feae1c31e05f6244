import pg from 'pg';

/**
 * Takes a test database away from its server, as an outage would: no new connections, and the open ones
 * are ended. Returns a function that lets connections in again.
 */
export async function cutDatabase(url: string): Promise<() => Promise<void>> {
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  async function run(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
  await run(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
  await run(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
  return () => run(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
}
