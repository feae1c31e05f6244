import path from 'node:path';
import { FaultlineError } from '@faultline/core';
import { CONNECTION_DEFAULTS, type ConnectionSettings } from './connection.js';

export interface StoragePostgresOptions {
  /** postgres:// URL. Default: env FAULTLINE_DATABASE_URL, else an embedded PostgreSQL. */
  url?: string;
  /** Embedded PostgreSQL data directory (relative to the working directory). Default: `$FAULTLINE_STATE_DIR/postgres`, else `./.faultline/postgres`. */
  dataDir?: string;
  /** Embedded PostgreSQL port. Default: a free port. */
  port?: number;
  /** Database the embedded server creates and uses. */
  database?: string;
  /** Connections in the pool. */
  poolMax?: number;
  /** Server-side limit for any one statement. */
  statementTimeoutMs?: number;
  /** Limit for opening a connection. */
  connectTimeoutMs?: number;
  /**
   * When partition upkeep (daily partitions made a week ahead, old schedule claims pruned) runs, as a
   * `jobs` schedule: once per slot across nodes. Default hourly, at minute 7.
   */
  maintenanceCron?: string;
  /**
   * False stores events without search columns and issue tags: searches by tag, user, stack or event
   * text then miss them. Only for measuring what search indexing costs (bench:ingest --no-search-index).
   */
  searchIndex?: boolean;
  /**
   * How long issue tag counts are added up in memory before they are written (issue-tag-writer.ts), in
   * milliseconds; default 1000. 0 writes them in each batch's own transaction: exact at every commit,
   * at more database work (bench:ingest and the README measure how much).
   */
  issueTagsFlushMs?: number;
}

export const defaultOptions = {
  dataDir: './.faultline/postgres',
  maintenanceCron: '7 * * * *',
  database: 'faultline',
} as const;

export interface ResolvedOptions {
  url: string | null;
  dataDir: string;
  port: number | undefined;
  database: string;
  connection: ConnectionSettings;
  maintenanceCron: string;
  searchIndex: boolean;
  issueTagsFlushMs: number;
}

/** Checks options (naming the bad one) and fills defaults; reads FAULTLINE_DATABASE_URL. */
export function resolveOptions(options: StoragePostgresOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const url = options.url ?? (env.FAULTLINE_DATABASE_URL || undefined);
  if (url !== undefined && (typeof url !== 'string' || !/^postgres(ql)?:\/\/./.test(url))) {
    const name = options.url !== undefined ? 'url' : 'FAULTLINE_DATABASE_URL';
    throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', `storage-postgres: ${name} must be a postgres:// URL`, { path: name });
  }
  // The same default as every other process on this machine, so the CLI finds the data of a running host.
  const dataDir = options.dataDir ?? (env.FAULTLINE_STATE_DIR ? path.join(env.FAULTLINE_STATE_DIR, 'postgres') : defaultOptions.dataDir);
  if (typeof dataDir !== 'string' || dataDir === '') invalid('dataDir', 'a non-empty path');
  const database = options.database ?? defaultOptions.database;
  if (typeof database !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(database)) invalid('database', 'a plain identifier');
  if (options.port !== undefined) positiveInt('port', options.port, 65535);
  const connection: ConnectionSettings = { ...CONNECTION_DEFAULTS };
  if (options.poolMax !== undefined) connection.poolMax = positiveInt('poolMax', options.poolMax, 1000);
  if (options.statementTimeoutMs !== undefined) {
    connection.statementTimeoutMs = positiveInt('statementTimeoutMs', options.statementTimeoutMs, 86_400_000);
  }
  if (options.connectTimeoutMs !== undefined) {
    connection.connectTimeoutMs = positiveInt('connectTimeoutMs', options.connectTimeoutMs, 600_000);
  }
  const maintenanceCron = options.maintenanceCron ?? defaultOptions.maintenanceCron;
  if (typeof maintenanceCron !== 'string' || maintenanceCron.trim() === '') invalid('maintenanceCron', 'a cron expression');
  const searchIndex = options.searchIndex ?? true;
  if (typeof searchIndex !== 'boolean') invalid('searchIndex', 'true or false');
  const issueTagsFlushMs = options.issueTagsFlushMs ?? 5000;
  if (!Number.isInteger(issueTagsFlushMs) || issueTagsFlushMs < 0 || issueTagsFlushMs > 60_000) invalid('issueTagsFlushMs', 'a whole number of milliseconds from 0 to 60000');
  return { url: url ?? null, dataDir, port: options.port, database, connection, maintenanceCron, searchIndex, issueTagsFlushMs };
}

function positiveInt(name: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    invalid(name, `an integer from 1 to ${max}`);
  }
  return value as number;
}

function invalid(name: string, what: string): never {
  throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', `storage-postgres: option "${name}" must be ${what}`, { path: name });
}
