import type { PgClient } from './connection.js';

/**
 * A statement every batch runs, prepared once per connection with SQL `PREPARE` and run with `EXECUTE`.
 * PostgreSQL parsed, analysed and planned the batch's two big statements anew each time: ~1.5 ms of its
 * CPU a batch, a sixth of its cost per event at ten 50 KB events a batch (log_parser_stats and
 * log_planner_stats under bench:sentry). `EXECUTE` is itself a statement, so it still travels in the
 * simple query protocol with BEGIN or COMMIT in the same message.
 */
export interface PreparedStatement {
  name: string;
  /** Parameter types, as `PREPARE name(types)` takes them. */
  types: string;
  /** The statement, with $1, $2... */
  body: string;
}

/** The connections that have prepared what a batch needs (each session holds its own). */
const preparedOn = new WeakSet<PgClient>();

/** Prepares the statements on this connection unless it has done so already. */
export async function ensurePrepared(client: PgClient, statements: readonly PreparedStatement[]): Promise<void> {
  if (preparedOn.has(client)) return;
  for (const s of statements) {
    try {
      await client.query(`PREPARE ${s.name}(${s.types}) AS ${s.body}`);
    } catch (err) {
      if ((err as { code?: string }).code !== '42P05') throw err; // duplicate_prepared_statement: still there
    }
  }
  preparedOn.add(client);
}

/**
 * Whether a statement failed because the session lost its prepared statements (`DISCARD ALL` or
 * `DEALLOCATE` by a pooler, say); the connection is then marked unprepared, so the next attempt prepares
 * again.
 */
export function lostPreparedStatements(client: PgClient, err: unknown): boolean {
  if ((err as { code?: string }).code !== '26000') return false; // invalid_sql_statement_name
  preparedOn.delete(client);
  return true;
}

/** `EXECUTE name(arg, ...)`, the arguments being SQL expressions (literals from SqlLiterals). */
export function execute(statement: PreparedStatement, args: readonly string[]): string {
  return `EXECUTE ${statement.name}(${args.join(', ')})`;
}
