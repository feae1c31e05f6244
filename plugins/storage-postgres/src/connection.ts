import pg from 'pg';
import { Sequelize } from 'sequelize';
import type { Logger } from 'pino';
import { guarded } from './database-errors.js';

/**
 * Every timeout and retry policy for talking to PostgreSQL, in one place.
 *
 * - connect: a new connection must be established within `connectTimeoutMs` (10 s).
 * - statements: any statement is cancelled by the server after `statementTimeoutMs` (30 s); a batch write
 *   is a handful of statements, so this bounds a stuck batch at a few minutes at worst.
 * - idle in transaction: a session left open inside a transaction is killed after 60 s, so a crashed
 *   worker cannot hold row locks for long.
 * - lock waits: `lockTimeoutMs` (20 s) so a blocked write fails instead of queueing forever.
 * - pool: `poolMax` connections (10), a request for a connection waits up to `acquireTimeoutMs` (20 s).
 * - retries: none here. A failed batch rejects; the queue that fed it owns the retry (events are
 *   idempotent by event id, so a retry is always safe). Start-up retries connecting a few times (below).
 */
export const CONNECTION_DEFAULTS = {
  connectTimeoutMs: 10_000,
  statementTimeoutMs: 30_000,
  lockTimeoutMs: 20_000,
  idleInTransactionTimeoutMs: 60_000,
  poolMax: 10,
  acquireTimeoutMs: 20_000,
  /** Connection attempts at start-up before giving up, 500 ms apart. */
  startupAttempts: 10,
  startupRetryDelayMs: 500,
} as const;

export type ConnectionSettings = { -readonly [K in keyof typeof CONNECTION_DEFAULTS]: number };

/** Postgres bigint (int8) as a JS string; we convert counts ourselves. Dates stay Date. */
export function createSequelize(url: string, settings: ConnectionSettings): Sequelize {
  return new Sequelize(url, {
    dialect: 'postgres',
    dialectModule: pg,
    // Off: Sequelize logs statements with their values inlined, and key/token hashes are among them.
    logging: false,
    benchmark: false,
    pool: { max: settings.poolMax, min: 0, acquire: settings.acquireTimeoutMs, idle: 10_000 },
    dialectOptions: {
      connectionTimeoutMillis: settings.connectTimeoutMs,
      statement_timeout: settings.statementTimeoutMs,
      lock_timeout: settings.lockTimeoutMs,
      idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs,
      application_name: 'faultline',
    },
    define: { timestamps: false, underscored: true, freezeTableName: true },
  });
}

/** A plain client for work that must hold one session (migrations under a session advisory lock). */
export function createClient(url: string, settings: ConnectionSettings): pg.Client {
  return new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    application_name: 'faultline-migrate',
  });
}

/** The pg client under a Sequelize pooled connection, for the hot path (arrays, COPY). */
export type PgClient = pg.ClientBase;

/**
 * Runs `fn` on one pooled connection that sends BEGIN and COMMIT itself (with its first and last
 * statements, to save round trips); rolls back on any error.
 */
export function inOwnTransaction<T>(sequelize: Sequelize, fn: (client: PgClient) => Promise<T>): Promise<T> {
  return guarded(async () => {
    const client = (await sequelize.connectionManager.getConnection({ type: 'write' })) as unknown as PgClient;
    try {
      return await fn(client);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      sequelize.connectionManager.releaseConnection(client as never);
    }
  });
}

/** Runs `fn` on one pooled connection without a transaction (reads). */
export function withClient<T>(sequelize: Sequelize, fn: (client: PgClient) => Promise<T>): Promise<T> {
  return guarded(async () => {
    const client = (await sequelize.connectionManager.getConnection({ type: 'read' })) as unknown as PgClient;
    try {
      return await fn(client);
    } finally {
      sequelize.connectionManager.releaseConnection(client as never);
    }
  });
}

/** Retries `sequelize.authenticate()` a few times: the database may still be starting. */
export async function connectWithRetry(sequelize: Sequelize, settings: ConnectionSettings, log: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await sequelize.authenticate({ logging: false });
      return;
    } catch (err) {
      if (attempt >= settings.startupAttempts) throw err;
      log.warn({ attempt, err: (err as Error).message }, 'PostgreSQL not reachable yet; retrying');
      await new Promise((resolve) => setTimeout(resolve, settings.startupRetryDelayMs));
    }
  }
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}
